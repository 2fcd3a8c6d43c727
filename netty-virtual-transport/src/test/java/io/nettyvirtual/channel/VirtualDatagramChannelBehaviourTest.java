package io.nettyvirtual.channel;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.sized;
import static io.nettyvirtual.testing.Nets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.testing.Recorder;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What Netty's testsuite does not check of {@link VirtualDatagramChannel}: receive-buffer drops, back-pressure,
 * writability, size limits, port-unreachable errors, buffer ownership and multicast. Deterministic mode, exact
 * virtual timestamps.
 */
class VirtualDatagramChannelBehaviourTest {
    private static final long MS = 1_000_000L;

    /** Two hosts, a (10.0.0.1) and b (10.0.0.2), joined by a wire with {@code config}. */
    private static VirtualNetwork twoHosts(long seed, LinkConfig config) {
        VirtualNetwork net = VirtualNetwork.create(seed);
        Host a = net.newHost("a", "10.0.0.1");
        Host b = net.newHost("b", "10.0.0.2");
        net.newWire(a, b, config);
        return net;
    }

    private static Bootstrap bootstrap(VirtualEventLoopGroup group, ChannelHandler handler) {
        return new Bootstrap()
                .group(group)
                .channel(VirtualDatagramChannel.class)
                .handler(handler);
    }

    private static Channel bind(VirtualNetwork net, Bootstrap b, InetSocketAddress at) {
        return net.runUntil(b.bind(at)).channel();
    }

    @Test
    void receiveBufferLimitDropsAndCountsWhatDoesNotFit() {
        try (VirtualNetwork net = twoHosts(11, LinkConfig.ideal())) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            // Nothing drains the receive buffer until read(): 3,000 bytes of SO_RCVBUF hold three 1,000-byte datagrams.
            Channel receiver = bind(
                    net,
                    bootstrap(group, rec).option(ChannelOption.SO_RCVBUF, 3000).option(ChannelOption.AUTO_READ, false),
                    addr("10.0.0.2", 2000));
            Channel sender = bind(net, bootstrap(group, new ChannelInboundHandlerAdapter()), addr("10.0.0.1", 1000));

            for (int i = 0; i < 5; i++) {
                sender.write(sized(1000, addr("10.0.0.2", 2000)));
            }
            sender.flush();
            net.runUntilIdle();

            PacketCounters c = net.counters();
            assertEquals(5, c.sent());
            assertEquals(3, c.delivered());
            assertEquals(2, c.dropped(DropReason.RECEIVE_BUFFER_FULL));
            assertEquals(2000, c.droppedBytes(DropReason.RECEIVE_BUFFER_FULL));
            assertEquals(c.dropped(), c.dropped(DropReason.RECEIVE_BUFFER_FULL));
            assertTrue(c.isBalanced(), c.toString());

            // Reading frees the buffer: the three that fitted arrive and the next datagram fits again.
            receiver.config().setAutoRead(true);
            assertTrue(net.runUntil(() -> rec.count() == 3));
            sender.writeAndFlush(sized(1000, addr("10.0.0.2", 2000)));
            assertTrue(net.runUntil(() -> rec.count() == 4));
            assertEquals(2, net.counters().dropped(DropReason.RECEIVE_BUFFER_FULL));
        }
    }

    @Test
    void autoReadOffHoldsDatagramsUntilReadIsCalledOneAtATime() {
        try (VirtualNetwork net = twoHosts(12, LinkConfig.delayed(Duration.ofMillis(5)))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            Channel receiver =
                    bind(net, bootstrap(group, rec).option(ChannelOption.AUTO_READ, false), addr("10.0.0.2", 2000));
            Channel sender = bind(net, bootstrap(group, new ChannelInboundHandlerAdapter()), addr("10.0.0.1", 1000));

            for (int i = 0; i < 3; i++) {
                sender.write(text("m" + i, addr("10.0.0.2", 2000)));
            }
            sender.flush();
            net.runFor(Duration.ofSeconds(1));
            assertEquals(0, rec.count(), "nothing is read while autoRead is off and read() was not called");
            assertEquals(3, net.counters().delivered(), "the datagrams wait in the receive buffer");
            assertEquals(0, net.counters().dropped());

            // As NIO with autoRead off: each read() reads one datagram.
            receiver.read();
            net.runUntilIdle();
            assertEquals(1, rec.count());
            assertEquals("m0", rec.last().text);
            assertEquals(1000 * MS, rec.last().nanos, "read at the virtual instant read() was called");

            net.runFor(Duration.ofMillis(500));
            receiver.read();
            net.runUntilIdle();
            assertEquals(2, rec.count());
            assertEquals("m1", rec.last().text);
            assertEquals(1500 * MS, rec.last().nanos);

            receiver.config().setAutoRead(true);
            net.runUntilIdle();
            assertEquals(3, rec.count());
            assertEquals("m2", rec.last().text);
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void writabilityFollowsTheSendBufferOverARateLimitedWire() {
        // 100,000 bytes/s: a 1,000-byte datagram takes exactly 10 ms to serialize.
        try (VirtualNetwork net = twoHosts(13, LinkConfig.limited(100_000))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            bind(net, bootstrap(group, rec), addr("10.0.0.2", 2000));
            List<long[]> changes = new ArrayList<>();
            Channel sender = bind(
                    net,
                    bootstrap(group, new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                    changes.add(new long[] {
                                        net.clock().nanoTime(), ctx.channel().isWritable() ? 1 : 0
                                    });
                                    ctx.fireChannelWritabilityChanged();
                                }
                            })
                            .option(ChannelOption.SO_SNDBUF, 10_000)
                            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8_000, 16_000)),
                    addr("10.0.0.1", 1000));

            List<ChannelFuture> writes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                writes.add(sender.writeAndFlush(sized(1000, addr("10.0.0.2", 2000))));
            }
            // SO_SNDBUF lets 10 datagrams into the network; 40 wait in the channel, far above the high water mark.
            assertFalse(sender.isWritable());
            assertEquals(1, changes.size());
            assertEquals(0, changes.get(0)[0]);

            assertTrue(net.runUntil(() -> sender.isWritable()));
            // Each datagram that finishes serializing (every 10 ms) frees its send-buffer bytes and lets the next one
            // go; the channel is writable again once the pending bytes (each datagram counts 1,000 bytes plus
            // Netty's 96-byte entry overhead) fall below the low water mark of 8,000: 7 left, after 33 releases.
            assertEquals(2, changes.size());
            assertEquals(330 * MS, changes.get(1)[0]);
            assertEquals(1, changes.get(1)[1]);

            assertTrue(net.runUntil(() -> rec.count() == 50));
            assertEquals(500 * MS, rec.last().nanos, "50 datagrams of 10 ms serialization each, back to back");
            for (ChannelFuture f : writes) {
                assertTrue(f.isSuccess());
            }
            assertEquals(50_000, rec.bytes);
            assertEquals(0, net.counters().dropped(), "back-pressure, not loss");
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void largestDatagramArrivesWholeAndOneByteMoreFailsNamingItsSize() {
        try (VirtualNetwork net = twoHosts(14, LinkConfig.ideal())) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            bind(net, bootstrap(group, rec), addr("10.0.0.2", 2000));
            Channel sender = bind(net, bootstrap(group, new ChannelInboundHandlerAdapter()), addr("10.0.0.1", 1000));

            ChannelFuture ok = sender.writeAndFlush(sized(65_507, addr("10.0.0.2", 2000)));
            assertTrue(net.runUntil(() -> rec.count() == 1));
            assertTrue(ok.isSuccess());
            assertEquals(65_507, rec.last().size);

            ChannelFuture tooBig = net.runUntil(sender.writeAndFlush(sized(65_508, addr("10.0.0.2", 2000))));
            assertInstanceOf(SocketException.class, tooBig.cause());
            assertTrue(
                    tooBig.cause().getMessage().contains("65508"),
                    tooBig.cause().getMessage());
            assertTrue(
                    tooBig.cause().getMessage().contains("65507"),
                    tooBig.cause().getMessage());
            assertTrue(sender.isOpen());
            net.runUntilIdle();
            assertEquals(1, rec.count());
            assertEquals(1, net.counters().sent(), "the oversized datagram never reaches the network");
        }
    }

    @Test
    void ipv6AllowsTheLargerIpv6Payload() {
        try (VirtualNetwork net = VirtualNetwork.create(15)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            Channel receiver = bind(net, bootstrap(group, rec), addr("::1", 0));
            Channel sender = bind(net, bootstrap(group, new ChannelInboundHandlerAdapter()), addr("::1", 0));
            InetSocketAddress to = (InetSocketAddress) receiver.localAddress();

            assertTrue(net.runUntil(sender.writeAndFlush(sized(65_527, to))).isSuccess());
            assertTrue(net.runUntil(() -> rec.count() == 1));
            assertEquals(65_527, rec.last().size);
            ChannelFuture tooBig = net.runUntil(sender.writeAndFlush(sized(65_528, to)));
            assertTrue(
                    tooBig.cause().getMessage().contains("65528"),
                    tooBig.cause().getMessage());
        }
    }

    @Test
    void connectedChannelReadsPortUnreachableWhenNothingListensAtItsPeer() {
        try (VirtualNetwork net = twoHosts(16, LinkConfig.delayed(Duration.ofMillis(50)))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            AtomicReference<Throwable> caught = new AtomicReference<>();
            long[] caughtAt = {-1};
            Channel client = net.runUntil(bootstrap(group, new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    caught.set(cause);
                                    caughtAt[0] = net.clock().nanoTime();
                                }
                            })
                            .localAddress(addr("10.0.0.1", 1000))
                            .connect(addr("10.0.0.2", 9)))
                    .channel();

            ChannelFuture write = client.writeAndFlush(Unpooled.copiedBuffer("anyone?", StandardCharsets.US_ASCII));
            assertTrue(net.runUntil(() -> caught.get() != null));
            assertTrue(write.isSuccess(), "the write that provokes the error succeeds");
            assertInstanceOf(PortUnreachableException.class, caught.get());
            assertTrue(
                    caught.get().getMessage().contains("10.0.0.2:9"),
                    caught.get().getMessage());
            assertEquals(100 * MS, caughtAt[0], "dropped at the far end at 50 ms, the ICMP error back 50 ms later");
            assertTrue(client.isOpen(), "as NIO, the error does not close the channel");
            assertEquals(1, net.counters().dropped(DropReason.PORT_UNREACHABLE));
            assertEquals(2, net.counters().sent(), "the datagram, and the ICMP error b sent about it");
            assertEquals(1, net.counters().delivered(), "the ICMP error, consumed by a's socket");

            // Reported once: a second write succeeds and provokes a second report.
            caught.set(null);
            assertTrue(net.runUntil(client.writeAndFlush(Unpooled.copiedBuffer("again", StandardCharsets.US_ASCII)))
                    .isSuccess());
            assertTrue(net.runUntil(() -> caught.get() != null));
            assertEquals(200 * MS, caughtAt[0], "written at 100 ms, dropped at 150 ms, its error back at 200 ms");
        }
    }

    @Test
    void withAutoReadOffTheNextWriteFailsWithPortUnreachableAndIsNotSent() {
        try (VirtualNetwork net = twoHosts(17, LinkConfig.delayed(Duration.ofMillis(50)))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel client = net.runUntil(bootstrap(group, new ChannelInboundHandlerAdapter())
                            .option(ChannelOption.AUTO_READ, false)
                            .localAddress(addr("10.0.0.1", 1000))
                            .connect(addr("10.0.0.2", 9)))
                    .channel();

            assertTrue(net.runUntil(client.writeAndFlush(text1("first"))).isSuccess());
            net.runFor(Duration.ofMillis(100));
            ChannelFuture second = net.runUntil(client.writeAndFlush(text1("second")));
            assertInstanceOf(PortUnreachableException.class, second.cause());
            assertEquals(
                    2, net.counters().sent(), "the first datagram and its ICMP error: the failed write was not sent");
            ChannelFuture third = net.runUntil(client.writeAndFlush(text1("third")));
            assertTrue(third.isSuccess(), "the error is reported once");
            assertTrue(client.isOpen());
        }
    }

    @Test
    void pendingPortUnreachableIsReadOnceReadingStarts() {
        try (VirtualNetwork net = twoHosts(24, LinkConfig.delayed(Duration.ofMillis(50)))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            long[] caughtAt = {-1};
            Channel client = net.runUntil(bootstrap(group, new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    assertInstanceOf(PortUnreachableException.class, cause);
                                    caughtAt[0] = net.clock().nanoTime();
                                }
                            })
                            .option(ChannelOption.AUTO_READ, false)
                            .localAddress(addr("10.0.0.1", 1000))
                            .connect(addr("10.0.0.2", 9)))
                    .channel();

            assertTrue(net.runUntil(client.writeAndFlush(text1("first"))).isSuccess());
            net.runFor(Duration.ofMillis(200));
            assertEquals(-1, caughtAt[0], "not reading: the error waits");
            client.read();
            net.runUntilIdle();
            assertEquals(200 * MS, caughtAt[0]);
        }
    }

    @Test
    void unconnectedChannelIgnoresPortUnreachable() {
        try (VirtualNetwork net = twoHosts(18, LinkConfig.ideal())) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            AtomicReference<Throwable> caught = new AtomicReference<>();
            Channel client = bind(
                    net,
                    bootstrap(group, new ChannelInboundHandlerAdapter() {
                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            caught.set(cause);
                        }
                    }),
                    addr("10.0.0.1", 1000));
            assertTrue(net.runUntil(client.writeAndFlush(text("x", addr("10.0.0.2", 9))))
                    .isSuccess());
            net.runUntilIdle();
            assertTrue(net.runUntil(client.writeAndFlush(text("y", addr("10.0.0.2", 9))))
                    .isSuccess());
            net.runUntilIdle();
            assertNull(caught.get());
            assertEquals(2, net.counters().dropped(DropReason.PORT_UNREACHABLE));
            assertEquals(4, net.counters().sent(), "two datagrams and two ICMP errors");
            assertEquals(2, net.counters().delivered(), "the errors reach the unconnected socket, which ignores them");
        }
    }

    @Test
    void connectedChannelRefusesADatagramForAnotherAddress() {
        try (VirtualNetwork net = twoHosts(19, LinkConfig.ideal())) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            bind(net, bootstrap(group, rec), addr("10.0.0.2", 2000));
            Channel client = net.runUntil(bootstrap(group, new ChannelInboundHandlerAdapter())
                            .connect(addr("10.0.0.2", 2000), addr("10.0.0.1", 1000)))
                    .channel();

            ChannelFuture other = net.runUntil(client.writeAndFlush(text("no", addr("10.0.0.2", 2001))));
            assertInstanceOf(AlreadyConnectedException.class, other.cause());
            assertTrue(
                    other.cause().getMessage().contains("10.0.0.2:2001"),
                    other.cause().getMessage());
            assertTrue(net.runUntil(client.writeAndFlush(text("yes", addr("10.0.0.2", 2000))))
                    .isSuccess());
            assertTrue(net.runUntil(() -> rec.count() == 1));
            assertEquals("yes", rec.last().text);
        }
    }

    @Test
    void readsOnlyFromThePeerOnceConnectedAndFromAnyoneAfterDisconnect() {
        try (VirtualNetwork net = VirtualNetwork.create(20)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            Channel peer = bind(net, bootstrap(group, new ChannelInboundHandlerAdapter()), addr("127.0.0.1", 0));
            Channel stranger = bind(net, bootstrap(group, new ChannelInboundHandlerAdapter()), addr("127.0.0.1", 0));
            Channel ch = net.runUntil(bootstrap(group, rec).connect(peer.localAddress()))
                    .channel();
            InetSocketAddress to = (InetSocketAddress) ch.localAddress();
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", to.getPort());

            net.runUntil(stranger.writeAndFlush(text("stranger", target)));
            net.runUntil(peer.writeAndFlush(text("peer", target)));
            assertTrue(net.runUntil(() -> rec.count() == 1));
            net.runUntilIdle();
            assertEquals(1, rec.count());
            assertEquals("peer", rec.last().text);
            assertEquals(peer.localAddress(), rec.last().sender);
            assertEquals(ch.localAddress(), rec.last().recipient, "as NIO: the recipient is the local address");

            net.runUntil(ch.disconnect());
            assertFalse(((DatagramChannel) ch).isConnected());
            net.runUntil(stranger.writeAndFlush(text("stranger", target)));
            assertTrue(net.runUntil(() -> rec.count() == 2));
            assertEquals("stranger", rec.last().text);
        }
    }

    @Test
    void bindingATakenAddressFailsWithBindExceptionNamingIt() {
        try (VirtualNetwork net = VirtualNetwork.create(21)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel first = bind(net, bootstrap(group, new ChannelInboundHandlerAdapter()), addr("127.0.0.1", 0));
            int port = ((InetSocketAddress) first.localAddress()).getPort();
            assertTrue(port >= 49152, "port 0 takes an ephemeral port: " + port);

            ChannelFuture same = net.runUntil(
                    bootstrap(group, new ChannelInboundHandlerAdapter()).bind(addr("127.0.0.1", port)));
            assertInstanceOf(BindException.class, same.cause());
            assertTrue(
                    same.cause().getMessage().contains("127.0.0.1:" + port),
                    same.cause().getMessage());
            ChannelFuture wildcard = net.runUntil(
                    bootstrap(group, new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress(port)));
            assertInstanceOf(BindException.class, wildcard.cause(), "a wildcard bind conflicts with a specific one");
            ChannelFuture v6 = net.runUntil(
                    bootstrap(group, new ChannelInboundHandlerAdapter()).bind(addr("::1", port)));
            assertTrue(v6.isSuccess(), "::1 is another address on the same port");
        }
    }

    @Test
    void exclusivelyOwnedBufferIsHandedOnAndSharedOneIsCopied() {
        try (VirtualNetwork net = twoHosts(22, LinkConfig.delayed(Duration.ofMillis(50)))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            List<ByteBuf> received = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            bind(
                    net,
                    bootstrap(group, new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            DatagramPacket p = (DatagramPacket) msg;
                            received.add(p.content());
                            texts.add(p.content().toString(StandardCharsets.US_ASCII));
                            p.release();
                        }
                    }),
                    addr("10.0.0.2", 2000));
            Channel sender = bind(net, bootstrap(group, new ChannelInboundHandlerAdapter()), addr("10.0.0.1", 1000));

            ByteBuf owned = Unpooled.copiedBuffer("owned", StandardCharsets.US_ASCII);
            sender.writeAndFlush(new DatagramPacket(owned, addr("10.0.0.2", 2000)));
            assertTrue(net.runUntil(() -> received.size() == 1));
            assertSame(owned, received.get(0), "a buffer the channel owns alone is not copied");

            ByteBuf shared = Unpooled.copiedBuffer("shared", StandardCharsets.US_ASCII);
            sender.writeAndFlush(new DatagramPacket(shared.retain(), addr("10.0.0.2", 2000)));
            shared.setByte(0, 'X'); // the sender still holds it and changes it while the datagram is in flight
            assertTrue(net.runUntil(() -> received.size() == 2));
            assertNotSame(shared, received.get(1));
            assertEquals("shared", texts.get(1));
            assertTrue(shared.release());
        }
    }

    @Test
    void multicastMethodsReturnFailedFutures() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(23)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            DatagramChannel ch = (DatagramChannel)
                    bind(net, bootstrap(group, new ChannelInboundHandlerAdapter()), addr("127.0.0.1", 0));
            InetAddress groupAddress = InetAddress.getByName("239.1.2.3");
            InetSocketAddress groupSocket = new InetSocketAddress(groupAddress, 5000);
            InetAddress source = InetAddress.getByName("10.0.0.9");
            NetworkInterface nif = null;
            List<ChannelFuture> futures = List.of(
                    ch.joinGroup(groupAddress),
                    ch.joinGroup(groupAddress, ch.newPromise()),
                    ch.joinGroup(groupSocket, nif),
                    ch.joinGroup(groupSocket, nif, ch.newPromise()),
                    ch.joinGroup(groupAddress, nif, source),
                    ch.joinGroup(groupAddress, nif, source, ch.newPromise()),
                    ch.leaveGroup(groupAddress),
                    ch.leaveGroup(groupAddress, ch.newPromise()),
                    ch.leaveGroup(groupSocket, nif),
                    ch.leaveGroup(groupSocket, nif, ch.newPromise()),
                    ch.leaveGroup(groupAddress, nif, source),
                    ch.leaveGroup(groupAddress, nif, source, ch.newPromise()),
                    ch.block(groupAddress, nif, source),
                    ch.block(groupAddress, nif, source, ch.newPromise()),
                    ch.block(groupAddress, source),
                    ch.block(groupAddress, source, ch.newPromise()));
            for (ChannelFuture f : futures) {
                assertTrue(f.isDone());
                assertInstanceOf(UnsupportedOperationException.class, f.cause());
                assertTrue(
                        f.cause().getMessage().contains("multicast"), f.cause().getMessage());
            }
            assertTrue(ch.isOpen());
        }
    }

    private static ByteBuf text1(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
