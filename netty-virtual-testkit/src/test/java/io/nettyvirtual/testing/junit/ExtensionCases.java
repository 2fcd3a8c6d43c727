package io.nettyvirtual.testing.junit;

import io.netty.buffer.ByteBufAllocator;
import io.nettyvirtual.network.VirtualNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tests that the extension's own tests run through JUnit's {@code EngineTestKit} ({@link VirtualNetworkExtensionTest}):
 * several fail on purpose. Not a test class of its own (Surefire does not pick this name).
 */
final class ExtensionCases {
    private ExtensionCases() {
    }

    @VirtualNetworkTest(seed = 4242)
    static class Failing {
        @Test
        void fails(VirtualNetwork net) {
            fail("deliberately, at " + net.clock().nanoTime());
        }
    }

    @VirtualNetworkTest(seed = 7)
    static class Leaky {
        @Test
        void leaksABuffer(VirtualNetwork net) {
            ByteBufAllocator.DEFAULT.directBuffer(16).writeInt(1); // never released
        }
    }

    /** The same network in {@code @BeforeEach}, the test and {@code @AfterEach}; a new one per test. */
    @VirtualNetworkTest(seed = 11)
    static class Lifecycle {
        static final List<VirtualNetwork> SEEN = Collections.synchronizedList(new ArrayList<>());
        VirtualNetwork before;

        @BeforeEach
        void before(VirtualNetwork net) {
            before = net;
        }

        @Test
        void first(VirtualNetwork net) {
            assertSame(before, net);
            assertEquals(11, net.seed());
            SEEN.add(net);
        }

        @Test
        void second(VirtualNetwork net) {
            assertSame(before, net);
            SEEN.add(net);
        }

        @AfterEach
        void after(VirtualNetwork net) {
            assertSame(before, net);
        }
    }

    /** Fails at seed 103 only. */
    static class Sweep {
        static final List<Long> RAN = Collections.synchronizedList(new ArrayList<>());

        @SeedSweep(from = 100, count = 10)
        void failsAt103(VirtualNetwork net) {
            RAN.add(net.seed());
            if (net.seed() == 103) {
                fail("seed 103 is the bad one");
            }
        }
    }

    static class SweepAllPass {
        static final List<Long> RAN = Collections.synchronizedList(new ArrayList<>());

        @SeedSweep(from = 5, count = 3)
        void passes(VirtualNetwork net) {
            RAN.add(net.seed());
        }
    }

}
