package io.nettyvirtual.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The leak check itself: a buffer still unreleased at the end of a test fails it; a released one does not. The
 * buffers these tests leak on purpose stay unreleased: their scope is closed, and a release would fail.
 */
class LeakCheckTest {
    @Test
    void unreleasedBufferFailsTheTest() {
        LeakCheck.begin("a leaking test");
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(16).writeLong(42);
        AssertionError e = assertThrows(AssertionError.class, () -> LeakCheck.end("a leaking test"));
        assertTrue(e.getMessage().startsWith("ByteBuf leak in a leaking test"), e.getMessage());
        assertEquals(1, leaked.refCnt());
    }

    @Test
    void bufferLeakedOnAnEventLoopFailsTheTest() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.builder()
                .mode(io.nettyvirtual.time.TimeMode.THREADED)
                .build()) {
            EventLoopGroup group = new VirtualEventLoopGroup(net);
            LeakCheck.begin("a test whose handler leaks");
            ByteBuf leaked = group.next()
                    .submit(() -> ByteBufAllocator.DEFAULT.heapBuffer(8).writeLong(1))
                    .get(10, TimeUnit.SECONDS);
            assertThrows(AssertionError.class, () -> LeakCheck.end("a test whose handler leaks"));
            assertEquals(1, leaked.refCnt());
        }
    }

    @Test
    void releasedBufferPasses() {
        LeakCheck.begin("a clean test");
        ByteBufAllocator.DEFAULT.directBuffer(16).writeLong(42).release();
        assertDoesNotThrow(() -> LeakCheck.end("a clean test"));
    }
}
