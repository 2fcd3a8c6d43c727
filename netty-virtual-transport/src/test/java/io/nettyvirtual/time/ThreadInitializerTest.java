package io.nettyvirtual.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Thread initializers run on every thread that runs simulation work, whenever they are added. */
class ThreadInitializerTest {
    private static final ThreadLocal<Boolean> INITIALIZED = ThreadLocal.withInitial(() -> false);

    @Test
    void deterministicModeRunsItOnTheDrivingThreadAtOnce() {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            Set<Thread> ran = ConcurrentHashMap.newKeySet();
            net.simulation().addThreadInitializer(() -> ran.add(Thread.currentThread()));
            assertEquals(Set.of(Thread.currentThread()), ran);
        }
    }

    @Test
    void threadedModeRunsItOnLoopsThatAlreadyRunAndOnLaterOnes() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(2).build()) {
            VirtualEventLoopGroup before = new VirtualEventLoopGroup(net, 2);
            for (EventExecutor loop : before) {
                loop.submit(() -> {}).sync(); // the loop threads are up and idle
            }
            net.simulation().addThreadInitializer(() -> INITIALIZED.set(true));
            VirtualEventLoopGroup after = new VirtualEventLoopGroup(net, 1);
            for (VirtualEventLoopGroup group : new VirtualEventLoopGroup[] {before, after}) {
                for (EventExecutor loop : group) {
                    assertTrue(loop.submit(INITIALIZED::get).get(), loop + " ran the initializer");
                }
            }
        }
    }
}
