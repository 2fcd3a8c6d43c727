package io.nettyvirtual.channel;

import static io.nettyvirtual.testing.Nets.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.time.TimeMode;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a channel's close sets in motion still runs when the network or group shuts down. */
class ShutdownTest {

    /**
     * Closing a channel queues tasks on its loop (channelInactive, deregistration), and handlers queue more: a QUIC
     * codec, for one, closes its connections and their streams from there. A loop that refused tasks while its
     * channels were still closing dropped them ("Can't invoke task later as EventLoop rejected it") and left those
     * connections unfreed.
     */
    @ParameterizedTest
    @EnumSource(
            value = TimeMode.class,
            names = {"DETERMINISTIC", "THREADED"})
    void closeCascadesFinishWhenTheNetworkCloses(TimeMode mode) throws Exception {
        AtomicInteger steps = new AtomicInteger();
        try (VirtualNetwork net = VirtualNetwork.builder().mode(mode).seed(3).build()) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            VirtualDatagramChannel ch = new VirtualDatagramChannel();
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    // Two hops, as a codec that closes child channels which then deregister.
                    ctx.executor().execute(() -> {
                        steps.incrementAndGet();
                        ctx.executor().execute(steps::incrementAndGet);
                    });
                    ctx.fireChannelInactive();
                }
            });
            if (mode == TimeMode.DETERMINISTIC) {
                net.runUntil(group.register(ch));
                net.runUntil(ch.bind(addr("127.0.0.1", 0)));
            } else {
                group.register(ch).sync();
                ch.bind(addr("127.0.0.1", 0)).sync();
            }
        }
        assertEquals(2, steps.get());
    }
}
