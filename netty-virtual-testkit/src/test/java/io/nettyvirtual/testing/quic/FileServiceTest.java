package io.nettyvirtual.testing.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both ways of serving a download send exactly the requested Payload bytes, the FIN with the last. */
class FileServiceTest {
    private static final long SIZE = 3 * Payload.maxChunk() + 100;
    private static final long SEED = 7;

    @Test
    void generatedDownloadIsThePayloadAndReportsItsDigest() {
        List<String> digests = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new FileService(digests::add));
        ch.writeInbound(FileService.downloadRequest(ByteBufAllocator.DEFAULT, SIZE, SEED));
        assertEquals(Payload.sha256(SEED, SIZE), drain(ch));
        assertEquals(List.of(Payload.sha256(SEED, SIZE)), digests);
        assertFalse(ch.finish());
    }

    @Test
    void preparedDownloadSendsSlicesOfTheBuffer() {
        ByteBuf prepared = Unpooled.directBuffer((int) SIZE);
        Payload payload = new Payload(SEED);
        MessageDigest ignored = Payload.sha256();
        while (prepared.isWritable()) {
            payload.writeTo(prepared, Math.min(Payload.maxChunk(), prepared.writableBytes()), ignored);
        }
        try {
            EmbeddedChannel ch = new EmbeddedChannel(new FileService(prepared, SEED));
            ch.writeInbound(FileService.downloadRequest(ByteBufAllocator.DEFAULT, SIZE, SEED));
            assertEquals(Payload.sha256(SEED, SIZE), drain(ch));
            assertEquals(SIZE, prepared.readableBytes(), "the service must not consume the prepared buffer");
            assertFalse(ch.finish());
        } finally {
            prepared.release();
        }
    }

    @Test
    void preparedServiceRefusesAnotherDownload() {
        ByteBuf prepared = Unpooled.directBuffer(16).writeZero(16);
        try {
            EmbeddedChannel ch = new EmbeddedChannel(new FileService(prepared, SEED));
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> ch.writeInbound(FileService.downloadRequest(ByteBufAllocator.DEFAULT, 17, SEED)));
            assertTrue(e.getMessage().contains("request for 17 bytes with seed 7"), e.getMessage());
            assertFalse(ch.isOpen(), "a request the service cannot serve closes the stream");
            assertTrue(ch.outboundMessages().isEmpty());
            ch.finishAndReleaseAll();
        } finally {
            prepared.release();
        }
    }

    /** Reads what the service wrote: chunks, the last a FIN frame; returns their SHA-256. */
    private static String drain(EmbeddedChannel ch) {
        MessageDigest digest = Payload.sha256();
        long total = 0;
        Object msg;
        boolean fin = false;
        while ((msg = ch.readOutbound()) != null) {
            assertFalse(fin, "nothing may follow the FIN");
            ByteBuf content;
            if (msg instanceof QuicStreamFrame) {
                QuicStreamFrame frame = (QuicStreamFrame) msg;
                assertTrue(frame.hasFin());
                fin = true;
                content = frame.content();
            } else {
                content = assertInstanceOf(ByteBuf.class, msg);
            }
            byte[] bytes = new byte[content.readableBytes()];
            content.readBytes(bytes);
            digest.update(bytes);
            total += bytes.length;
            io.netty.util.ReferenceCountUtil.release(msg);
        }
        assertTrue(fin, "the last chunk carries the FIN");
        assertEquals(SIZE, total);
        return Payload.hex(digest.digest());
    }
}
