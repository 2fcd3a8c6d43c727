package io.nettyvirtual.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.bench.support.Flood;
import io.nettyvirtual.bench.support.Sink;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Interface;
import io.nettyvirtual.network.Router;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.nat.NatConfig;
import java.net.InetSocketAddress;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a routed path costs per datagram: one channel floods another across one switch hop ({@code switch}: sender
 * and receiver hosts wired to a switch), or across two routers, the first of which translates the source with a
 * NAT ({@code routers-nat}: a home host behind a port-restricted cone NAT router, an ISP router, a public host).
 * Every wire is ideal (no delay, no rate), deterministic mode, one loop driven by the benchmark thread, the same
 * {@link Flood} and {@link Sink} as {@link DatagramThroughputBenchmark}. Run both paths in the same run and compare
 * their {@code delivered} rates: the goal is a routed path within 2x of the switch hop.
 */
public class RouterPathBenchmark extends SteadyStateBenchmark {
    /** Datagrams per benchmark invocation. */
    public static final int BATCH = 4096;

    @Param({"switch", "routers-nat"})
    public String path;

    @Param({"64"})
    public int size;

    private VirtualNetwork net;
    private ByteBuf payload;
    private Flood flood;
    private final Sink sink = new Sink();
    private long target;

    /** Datagrams delivered to the receiving handler, per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Delivered {
        public long delivered;

        @Setup(Level.Iteration)
        public void reset() {
            delivered = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        net = VirtualNetwork.create(16);
        VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
        InetSocketAddress from;
        InetSocketAddress to;
        switch (path) {
            case "switch": {
                Switch sw = net.newSwitch("switch");
                Host a = net.newHost("a", "10.0.0.1/24");
                Host b = net.newHost("b", "10.0.0.2/24");
                net.newWire(a, sw);
                net.newWire(b, sw);
                from = new InetSocketAddress("10.0.0.1", 9001);
                to = new InetSocketAddress("10.0.0.2", 9000);
                break;
            }
            case "routers-nat": {
                Router home = net.newRouter("home");
                Interface lan = home.newInterface("lan", "192.168.1.1/24");
                Interface wan = home.newInterface("wan", "198.51.100.2/24");
                home.defaultRoute("198.51.100.1");
                home.nat(
                        wan,
                        NatConfig.portRestrictedCone()
                                .externalAddresses(wan.address())
                                .build());
                Router isp = net.newRouter("isp");
                Interface core = isp.newInterface("core", "198.51.100.1/24");
                Interface edge = isp.newInterface("edge", "203.0.113.1/24");
                Host a = net.newHost("a", "192.168.1.10/24").defaultGateway("192.168.1.1");
                Host b = net.newHost("b", "203.0.113.10/24").defaultGateway("203.0.113.1");
                net.newWire(a, lan);
                net.newWire(wan, core);
                net.newWire(edge, b);
                from = new InetSocketAddress("192.168.1.10", 9001);
                to = new InetSocketAddress("203.0.113.10", 9000);
                break;
            }
            default:
                throw new IllegalArgumentException("path: " + path + " (expected switch or routers-nat)");
        }
        Channel rx = net.runUntil(configure(new Bootstrap())
                        .group(group)
                        .channel(VirtualDatagramChannel.class)
                        .handler(sink)
                        .bind(to))
                .channel();
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
        payload.writeZero(size);
        flood = new Flood(payload, to);
        net.runUntil(configure(new Bootstrap())
                .group(group)
                .channel(VirtualDatagramChannel.class)
                .handler(flood)
                .bind(from));
        if (!rx.isActive()) {
            throw new IllegalStateException("receiver not bound");
        }
    }

    private Bootstrap configure(Bootstrap b) {
        return b.option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(
                        ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(Math.max(2048, size)).maxMessagesPerRead(Flood.BURST));
    }

    /** The network, to check what the path did (the smoke test reads its counters). */
    public VirtualNetwork network() {
        return net;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
        payload.release();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long flood(Delivered d) {
        target += BATCH;
        flood.start(BATCH);
        net.runUntil(() -> sink.datagrams() >= target);
        long n = sink.datagrams() - (target - BATCH);
        target = sink.datagrams();
        d.delivered += n;
        return n;
    }
}
