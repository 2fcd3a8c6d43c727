package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * FQ-CoDel (RFC 8290; Linux {@code fq_codel}): packets are hashed on their 5-tuple (UDP, addresses and ports) into
 * {@code flows} queues with a hash keyed once from the simulation's seeded random source (Linux's perturbation);
 * flows are served by deficit round robin with {@code quantum} bytes, new flows (in the new-flows list) before old
 * ones, and each flow runs its own {@link CoDel}. Over {@code limit} packets, packets are dropped from the head of
 * the flow with the most bytes, up to half its backlog and at most 64 at once, as
 * {@link DropReason#OVERLIMIT}, as Linux does. The same drop happens, counted as {@link DropReason#MEMORY_LIMIT},
 * when the waiting packets' bytes exceed {@code memory_limit} (Linux's default 32 MiB); Linux counts each packet's
 * buffer size ({@code truesize}, typically its size plus a few hundred bytes), here its size as the link counts
 * it. With {@code ce_threshold}, an ECN-capable packet that leaves after waiting longer is marked CE
 * ({@link MarkReason#CE_THRESHOLD}), as Linux does for DCTCP-style marking.
 */
final class FqCoDelQueue implements QueueDiscipline, CoDel.Host {
    record Spec(
            long targetNanos,
            long intervalNanos,
            int limit,
            int flows,
            int quantum,
            boolean ecn,
            long memoryLimit,
            long ceThresholdNanos)
            implements Factory {
        @Override
        public QueueDiscipline create(Context ctx) {
            return new FqCoDelQueue(ctx, this);
        }

        @Override
        public String toString() {
            return "fq_codel target " + CoDel.ms(targetNanos) + " interval " + CoDel.ms(intervalNanos) + " limit "
                    + limit + " flows " + flows + " quantum " + quantum + " memory_limit " + memory(memoryLimit)
                    + (ceThresholdNanos >= 0 ? " ce_threshold " + CoDel.ms(ceThresholdNanos) : "")
                    + (ecn ? " ecn" : " noecn");
        }

        private static String memory(long bytes) { // as tc prints sizes
            if (bytes % (1 << 20) == 0) {
                return bytes / (1 << 20) + "Mb";
            }
            return bytes % 1024 == 0 ? bytes / 1024 + "Kb" : bytes + "b";
        }
    }

    private static final int DROP_BATCH = 64;
    private static final byte NONE = 0;
    private static final byte NEW = 1;
    private static final byte OLD = 2;

    private static final class Flow {
        final PacketRing queue = new PacketRing(8);
        final CoDel codel;
        int deficit;
        byte list = NONE;
        Flow next;

        Flow(CoDel codel) {
            this.codel = codel;
        }
    }

    private final Context ctx;
    private final Spec spec;
    private final long hashKey;
    private final Flow[] flows;
    private Flow newHead;
    private Flow newTail;
    private Flow oldHead;
    private Flow oldTail;
    private int packets;
    private long bytes;
    private int maxPacket;

    FqCoDelQueue(Context ctx, Spec spec) {
        this.ctx = ctx;
        this.spec = spec;
        this.hashKey = ctx.random().nextLong();
        this.flows = new Flow[spec.flows];
    }

    /** The flow index of {@code p}: its 5-tuple hashed with this queue's key. */
    int flowOf(Packet p) {
        long h = hashKey;
        h = mix(h ^ address(p.source()));
        h = mix(h ^ address(p.destination()));
        long protocol = p.protocol() == IpProtocol.UDP ? 17 : 1; // IP protocol numbers: UDP 17, ICMP 1
        h = mix(h ^ ((long) p.source().getPort() << 16 | p.destination().getPort()) ^ protocol << 40);
        return (int) (((h >>> 33) * flows.length) >>> 31);
    }

    private static long address(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        return ip != null ? ip.hashCode() : a.getHostString().hashCode();
    }

    private static long mix(long z) { // SplitMix64's finalizer
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public void enqueue(Packet p) {
        int i = flowOf(p);
        Flow f = flows[i];
        if (f == null) {
            f = flows[i] = new Flow(new CoDel(spec.targetNanos, spec.intervalNanos, spec.ecn, spec.ceThresholdNanos));
        }
        f.queue.addLast(p, ctx.now());
        packets++;
        bytes += p.size();
        if (p.size() > maxPacket) {
            maxPacket = p.size();
        }
        if (f.list == NONE) {
            append(f, NEW);
            f.deficit = spec.quantum;
        }
        if (bytes > spec.memoryLimit) {
            dropFromFattest(DropReason.MEMORY_LIMIT);
        } else if (packets > spec.limit) {
            dropFromFattest(DropReason.OVERLIMIT);
        }
    }

    private void dropFromFattest(DropReason reason) {
        Flow fat = null;
        long most = 0;
        for (Flow f : flows) { // array order: deterministic
            if (f != null && f.queue.bytes() > most) {
                most = f.queue.bytes();
                fat = f;
            }
        }
        long threshold = most >> 1;
        long len = 0;
        int n = 0;
        do {
            Packet p = fat.queue.pollFirst();
            removed(p);
            len += p.size();
            ctx.drop(p, reason);
        } while (++n < DROP_BATCH && len < threshold && !fat.queue.isEmpty());
    }

    @Override
    public Packet dequeue() {
        while (true) {
            Flow f;
            boolean fromNew;
            if (newHead != null) {
                f = newHead;
                fromNew = true;
            } else if (oldHead != null) {
                f = oldHead;
                fromNew = false;
            } else {
                return null;
            }
            if (f.deficit <= 0) {
                f.deficit += spec.quantum;
                removeHead(fromNew);
                append(f, OLD);
                continue;
            }
            Packet p = f.codel.dequeue(ctx, f.queue, this);
            if (p == null) {
                removeHead(fromNew);
                if (fromNew && oldHead != null) {
                    append(f, OLD); // so that an emptied new flow cannot jump ahead again at once
                }
                continue;
            }
            f.deficit -= p.size();
            return p;
        }
    }

    private void append(Flow f, byte list) {
        f.list = list;
        f.next = null;
        if (list == NEW) {
            if (newTail == null) {
                newHead = f;
            } else {
                newTail.next = f;
            }
            newTail = f;
        } else {
            if (oldTail == null) {
                oldHead = f;
            } else {
                oldTail.next = f;
            }
            oldTail = f;
        }
    }

    private void removeHead(boolean fromNew) {
        Flow f;
        if (fromNew) {
            f = newHead;
            newHead = f.next;
            if (newHead == null) {
                newTail = null;
            }
        } else {
            f = oldHead;
            oldHead = f.next;
            if (oldHead == null) {
                oldTail = null;
            }
        }
        f.next = null;
        f.list = NONE;
    }

    @Override
    public int packets() {
        return packets;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public void clear() {
        for (Flow f : flows) {
            if (f != null) {
                Packet p;
                while ((p = f.queue.pollFirst()) != null) {
                    removed(p);
                    ctx.drop(p, DropReason.UNPLUGGED);
                }
            }
        }
    }

    @Override
    public long backlogBytes() {
        return bytes;
    }

    @Override
    public int maxPacket() {
        return maxPacket;
    }

    @Override
    public void removed(Packet p) {
        packets--;
        bytes -= p.size();
    }

    /** Packets waiting in flow {@code i} (for tests). */
    int flowPackets(int i) {
        return flows[i] == null ? 0 : flows[i].queue.size();
    }
}
