package io.nettyvirtual.channel;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static io.nettyvirtual.testing.Nets.sized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.IllegalReferenceCountException;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.testing.Recorder;
import io.nettyvirtual.time.TimeMode;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A closed network refuses new work clearly and leaks nothing; closing from the wrong thread changes nothing. */
class ClosedNetworkTest {

    private static void assertMentions(Throwable t, String value) {
        assertTrue(
                String.valueOf(t.getMessage()).contains(value),
                "message should name '" + value + "': " + t.getMessage());
    }

    @Test
    void registeringBindingAndWritingOnAClosedNetworksGroupFail() {
        VirtualNetwork net = VirtualNetwork.create(1);
        VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
        net.newHost("a", "10.0.0.1");
        net.close();

        ChannelFuture bound = new Bootstrap()
                .group(group)
                .channel(VirtualDatagramChannel.class)
                .handler(new Recorder(net.clock()))
                .bind(addr("10.0.0.1", 53));
        assertTrue(bound.isDone(), "Bootstrap.bind returns a failed future, it does not throw");
        assertInstanceOf(RejectedExecutionException.class, bound.cause());
        assertMentions(bound.cause(), "is closed");
        assertFalse(bound.channel().isOpen());

        VirtualDatagramChannel ch = new VirtualDatagramChannel();
        ChannelFuture registered = group.register(ch);
        assertMentions(registered.cause(), "is closed");
        VirtualDatagramChannel direct = new VirtualDatagramChannel();
        ChannelFuture viaLoop = group.next().register(direct);
        assertFalse(viaLoop.isSuccess());

        assertEquals(0, net.counters().sent());
        assertEquals(0, net.packetsInWires());
    }

    @Test
    void bindingAChannelRegisteredBeforeCloseFailsSayingTheNetworkIsClosed() {
        VirtualNetwork net = VirtualNetwork.create(2);
        VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
        VirtualDatagramChannel ch = new VirtualDatagramChannel();
        net.runUntil(group.register(ch));
        net.close();
        assertFalse(ch.isOpen(), "close() closed it");
        ChannelFuture f = ch.bind(addr("127.0.0.1", 1));
        assertFalse(f.isSuccess());
        ChannelFuture w = ch.writeAndFlush(sized(10, addr("127.0.0.1", 1)));
        assertFalse(w.isSuccess());
        assertEquals(0, net.packetsInWires());
    }

    @Test
    void closeFromAnotherThreadOfADeterministicNetworkFailsAndClosesNothing() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(3)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread other = new Thread(
                    () -> {
                        try {
                            net.close();
                        } catch (Throwable t) {
                            error.set(t);
                        }
                    },
                    "not-the-driver");
            other.start();
            other.join();
            assertInstanceOf(IllegalStateException.class, error.get());
            assertMentions(error.get(), "not-the-driver");
            assertMentions(error.get(), Thread.currentThread().getName());
            assertFalse(net.isClosed());
            assertTrue(ch.isOpen());
            assertFalse(group.isShuttingDown());
            net.close(); // from the driving thread: closes everything
            assertTrue(net.isClosed());
            assertFalse(ch.isOpen());
            assertTrue(group.isTerminated());
        }
    }

    @Test
    void closeFromInsideTheSimulationFailsAndClosesNothing() {
        try (VirtualNetwork net = VirtualNetwork.create(4)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            AtomicReference<Throwable> error = new AtomicReference<>();
            group.next().execute(() -> {
                try {
                    net.close();
                } catch (Throwable t) {
                    error.set(t);
                }
            });
            net.runUntilIdle();
            assertMentions(error.get(), "inside the simulation");
            assertFalse(net.isClosed());
        }
    }

    @Test
    void closeFromAnotherThreadOfAThreadedNetworkWorks() throws Exception {
        VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(5).build();
        VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
        Channel ch = new Bootstrap()
                .group(group)
                .channel(VirtualDatagramChannel.class)
                .handler(new Recorder(net.clock()))
                .bind(addr("127.0.0.1", 1000))
                .sync()
                .channel();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                net.close();
            } catch (Throwable t) {
                error.set(t);
            }
        });
        other.start();
        other.join();
        assertEquals(null, error.get());
        assertTrue(net.isClosed());
        assertFalse(ch.isOpen());
        assertTrue(group.isTerminated());
        net.close(); // a second close of a closed network: nothing left to do
    }

    @Test
    void writingAReleasedBufferFailsTheWrite() {
        try (VirtualNetwork net = VirtualNetwork.create(6)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), rec);
            ByteBuf released = Unpooled.buffer(4).writeInt(7);
            released.release();
            ChannelFuture f = ch.writeAndFlush(new DatagramPacket(released, addr("127.0.0.1", 1000)));
            net.runUntilIdle();
            assertInstanceOf(IllegalReferenceCountException.class, f.cause());
            assertEquals(0, rec.arrivals.size());
            assertEquals(0, net.counters().sent());
        }
    }

    @Test
    void sendingToPortZeroFailsAsNio() {
        try (VirtualNetwork net = VirtualNetwork.create(7)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            ChannelFuture f = ch.writeAndFlush(sized(10, addr("127.0.0.1", 0)));
            net.runUntilIdle();
            assertInstanceOf(SocketException.class, f.cause());
            assertMentions(f.cause(), "Can't send to port 0");
            assertEquals(0, net.counters().sent());
        }
    }

    @Test
    void connectSocketToAnUnresolvedAddressSaysSo() {
        try (VirtualNetwork net = VirtualNetwork.create(8)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Switch sw = net.newSwitch("sw");
            Wire wire = net.newWire(io.nettyvirtual.network.link.LinkConfig.ideal());
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("server.invalid", 7);
            assertMentions(
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> VirtualSockets.connectSocket(sw, group, unresolved, new Recorder(net.clock()))),
                    "server.invalid:7");
            assertMentions(
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> VirtualSockets.connectSocket(
                                    wire.start(), group, unresolved, new Recorder(net.clock()))),
                    "unresolved");
            assertEquals(2, net.nodes().size(), "localhost and the switch: no host was made for it");
            Host h = net.defaultHost();
            assertEquals("localhost", h.name());
        }
    }
}
