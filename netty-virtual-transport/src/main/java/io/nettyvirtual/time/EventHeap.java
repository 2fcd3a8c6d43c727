package io.nettyvirtual.time;

import java.util.Arrays;

/**
 * A binary min-heap of {@link TimedEvent}s ordered by (deadline, sequence number), with the heap index kept in
 * the event so rescheduling and cancelling are O(log n) without searching.
 */
final class EventHeap {
    private TimedEvent[] heap = new TimedEvent[64];
    private int size;
    private long nextSeq;

    int size() {
        return size;
    }

    TimedEvent peek() {
        return size == 0 ? null : heap[0];
    }

    void add(TimedEvent e, long deadline) {
        if (e.heapIndex >= 0) {
            remove(e);
        }
        e.deadline = deadline;
        e.seq = nextSeq++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size << 1);
        }
        heap[size] = e;
        e.heapIndex = size;
        size++;
        siftUp(e.heapIndex);
    }

    TimedEvent poll() {
        if (size == 0) {
            return null;
        }
        TimedEvent top = heap[0];
        removeAt(0);
        return top;
    }

    boolean remove(TimedEvent e) {
        int i = e.heapIndex;
        if (i < 0 || i >= size || heap[i] != e) {
            return false;
        }
        removeAt(i);
        return true;
    }

    private void removeAt(int i) {
        TimedEvent removed = heap[i];
        removed.heapIndex = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        TimedEvent last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        if (heap[i] == last) {
            siftUp(i);
        }
    }

    private static boolean less(TimedEvent a, TimedEvent b) {
        return a.deadline < b.deadline || a.deadline == b.deadline && a.seq < b.seq;
    }

    private void siftUp(int i) {
        TimedEvent e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimedEvent p = heap[parent];
            if (!less(e, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i) {
        TimedEvent e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = (i << 1) + 1;
            TimedEvent c = heap[child];
            int right = child + 1;
            if (right < size && less(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!less(c, e)) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
