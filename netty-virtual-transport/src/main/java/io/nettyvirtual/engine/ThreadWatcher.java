package io.nettyvirtual.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Threaded mode: the threads outside the simulation whose running holds virtual time still (the thread that built
 * the network, and any others it watches), and how to tell that one of them is running or about to run.
 *
 * <p>A watched thread that the loops have just woken (by completing the future it waits on) keeps the Java state
 * WAITING (or BLOCKED) until it is scheduled and runs, which on a loaded machine can take milliseconds; had the
 * clock moved in that window, a test handed the result of one step could find a timer (an idle timeout) fired
 * before its next step. So the building thread is also read in the kernel's view ({@code /proc} on Linux), where it
 * turns runnable within microseconds of its wake-up and stays so until it has run; and the clock waits
 * {@link #SETTLE_NANOS} after the loops went idle before it moves, to cover those microseconds.
 */
final class ThreadWatcher {
    /** How long (wall time) the clock waits, after the loops ran, for a thread they woke to be seen running. */
    static final long SETTLE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final List<Thread> watched = new CopyOnWriteArrayList<>();
    private final Thread builder;
    /** Linux: the building thread's {@code /proc} stat file, or null where there is none. */
    private final Path builderStat;

    /** Called on the building thread, which is watched from the start. */
    ThreadWatcher(Thread builder) {
        this.builder = builder;
        this.builderStat = osThreadStat();
        watched.add(builder);
    }

    void watch(Thread thread) {
        if (!watched.contains(thread)) {
            watched.add(thread);
        }
    }

    boolean isEmpty() {
        return watched.isEmpty();
    }

    /**
     * Whether a watched thread is running, or about to: RUNNABLE; queued for the simulation's lock (it is handing
     * work to a loop, which would wake it); or, for the building thread on Linux, runnable in the kernel's view.
     * Called by the clock thread with {@code lock} held.
     */
    boolean anyRunning(ReentrantLock lock) {
        for (Thread t : watched) {
            Thread.State state = t.getState();
            if (state == Thread.State.RUNNABLE || lock.hasQueuedThread(t)) {
                return true;
            }
            if (t == builder && builderStat != null && state != Thread.State.TERMINATED && osRunnable(builderStat)) {
                return true;
            }
        }
        return false;
    }

    /** The calling thread's {@code /proc/self/task/<tid>/stat}, or null where there is none. */
    private static Path osThreadStat() {
        try {
            Path task = Files.readSymbolicLink(Paths.get("/proc/thread-self")); // "<pid>/task/<tid>"
            Path stat = Paths.get("/proc").resolve(task).resolve("stat");
            return osRunnable(stat) ? stat : null; // the calling thread is running: the file is readable
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the thread whose stat file this is is running or runnable ('R' after its name). */
    private static boolean osRunnable(Path stat) {
        try {
            byte[] b = Files.readAllBytes(stat);
            for (int i = b.length - 1; i > 0; i--) {
                if (b[i] == ')') {
                    return i + 2 < b.length && b[i + 2] == 'R';
                }
            }
        } catch (IOException | RuntimeException e) {
            // the thread is gone
        }
        return false;
    }
}
