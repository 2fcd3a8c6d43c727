package io.nettyvirtual.channel.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.time.TimeMode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Plugs the virtual transport into Netty's testsuite: one threaded {@link VirtualNetwork} per test class (created
 * lazily on the JUnit thread, so that thread is the network's watched thread), with a two-loop
 * {@link VirtualEventLoopGroup}; server and client bootstraps use {@link VirtualDatagramChannel}. The testsuite's
 * tests block on {@code sync()} and latches, which is what threaded mode is for.
 */
final class VirtualTestsuite implements AutoCloseable {
    private VirtualNetwork network;
    private VirtualEventLoopGroup group;

    synchronized VirtualEventLoopGroup group() {
        if (network == null) {
            network =
                    VirtualNetwork.builder().mode(TimeMode.THREADED).seed(4217).build();
            group = new VirtualEventLoopGroup(network, 2);
        }
        return group;
    }

    synchronized VirtualNetwork network() {
        group();
        return network;
    }

    private Bootstrap bootstrap() {
        return new Bootstrap().group(group()).channel(VirtualDatagramChannel.class);
    }

    /** Server and client both virtual: the replacement for {@code SocketTestPermutation.datagram(family)}. */
    List<TestsuitePermutation.BootstrapComboFactory<Bootstrap, Bootstrap>> datagram() {
        return Collections.singletonList(new TestsuitePermutation.BootstrapComboFactory<Bootstrap, Bootstrap>() {
            @Override
            public Bootstrap newServerInstance() {
                return bootstrap();
            }

            @Override
            public Bootstrap newClientInstance() {
                return bootstrap();
            }
        });
    }

    /** The replacement for {@code SocketTestPermutation.datagramSocket()}. */
    List<TestsuitePermutation.BootstrapFactory<Bootstrap>> datagramSocket() {
        return Collections.singletonList(this::bootstrap);
    }

    @Override
    public synchronized void close() {
        if (network != null) {
            try {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            } finally {
                network.close();
                network = null;
                group = null;
            }
        }
    }

    /**
     * The virtual equivalent of {@code DatagramUnicastTest.testReceiveEmptyDatagrams}: the original sends 100 empty
     * datagrams from a {@code java.net.DatagramSocket}, which cannot reach a simulated network, so here a virtual
     * channel from {@code cb}, bound like the original client, sends them; the server side is the original's.
     */
    static void receiveEmptyDatagrams(
            Bootstrap sb, Bootstrap cb, SocketAddress bindAddress, UnaryOperator<InetSocketAddress> sendTo)
            throws Throwable {
        Semaphore semaphore = new Semaphore(0);
        Channel server = sb.handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                                assertEquals(0, msg.content().readableBytes());
                                semaphore.release();
                            }
                        });
                    }
                })
                .bind(bindAddress)
                .sync()
                .channel();
        Channel client = cb.handler(new ChannelInboundHandlerAdapter())
                .bind(bindAddress)
                .sync()
                .channel();
        try {
            InetSocketAddress to = sendTo.apply((InetSocketAddress) server.localAddress());
            for (int i = 0; i < 100; i++) {
                assertTrue(client.writeAndFlush(new DatagramPacket(Unpooled.EMPTY_BUFFER, to))
                        .sync()
                        .isSuccess());
                assertTrue(semaphore.tryAcquire(10, TimeUnit.SECONDS), "empty datagram " + i + " not received");
            }
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }
}
