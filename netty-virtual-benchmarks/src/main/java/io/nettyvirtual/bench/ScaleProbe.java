package io.nettyvirtual.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.bench.support.Sink;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.channel.VirtualSockets;
import io.nettyvirtual.network.Switch;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 4, scale: {@code n} channels on one switch (virtual) or {@code n} NioDatagramChannels on 127.0.0.1
 * (NIO), measured in a fresh JVM whose heap is capped (the suite runs it with -Xmx1g). Prints one line:
 * {@code transport n setupMs heapPerChannelBytes datagramsPerSecond heapAfterTrafficPerChannel status}.
 *
 * <p>Setup is the wall time to create and bind all channels (virtual: a host per channel, plugged into the switch
 * by {@link VirtualSockets#connectSocket}). Heap per channel is the used heap after a full GC, after minus before
 * setup, divided by n (for NIO only the Java heap: kernel socket memory is not counted). Throughput: in every round each
 * channel sends one 64-byte datagram to the next channel (a ring) and the round ends when all n arrived; rounds are
 * timed in units of at least 100,000 datagrams, and the figure is the median over the measured units of datagrams
 * per second.
 *
 * <p>This is a plain main rather than a JMH benchmark because its figures are one-shot (a setup, a heap reading)
 * and must come from a fresh JVM under the heap cap being tested.
 */
public final class ScaleProbe {
    private ScaleProbe() {}

    public static void main(String[] args) throws Exception {
        String transport = args[0];
        int n = Integer.parseInt(args[1]);
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        try {
            System.out.println(run(transport, n, warmup, rounds));
        } catch (OutOfMemoryError e) {
            System.out.println(
                    transport + " " + n + " - - - - OOM(" + Runtime.getRuntime().maxMemory() + ")");
        }
        System.exit(0);
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Virtual address of channel {@code i}: 10.0.0.1, 10.0.0.2, ... skipping nothing (the network needs no rules). */
    static InetSocketAddress virtualAddress(int i) throws Exception {
        int v = i + 1;
        return new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {10, (byte) (v >> 16), (byte) (v >> 8), (byte) v}), 7000);
    }

    static String run(String transport, int n, int warmup, int rounds) throws Exception {
        return run(transport, n, warmup, rounds, 100_000);
    }

    static String run(String transport, int n, int warmup, int rounds, int datagramsPerUnit) throws Exception {
        Sink sink = new Sink();
        ByteBuf payload = Unpooled.directBuffer(64).writeZero(64);
        long heap0 = usedHeap();
        long t0 = System.nanoTime();
        Channel[] channels = new Channel[n];
        VirtualNetwork net = null;
        EventLoopGroup nioGroup = null;
        if (transport.equals("virtual")) {
            net = VirtualNetwork.create(11);
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Switch sw = net.newSwitch("s");
            ChannelFuture[] fs = new ChannelFuture[n];
            for (int i = 0; i < n; i++) {
                fs[i] = VirtualSockets.connectSocket(sw, group, virtualAddress(i), sink);
            }
            ChannelFuture last = fs[n - 1];
            net.runUntil(last);
            for (int i = 0; i < n; i++) {
                if (!fs[i].isSuccess()) {
                    throw new IllegalStateException("bind " + i, fs[i].cause());
                }
                channels[i] = fs[i].channel();
            }
        } else {
            nioGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            Bootstrap b = new Bootstrap()
                    .group(nioGroup)
                    .channel(NioDatagramChannel.class)
                    .handler(sink);
            ChannelFuture[] fs = new ChannelFuture[n];
            for (int i = 0; i < n; i++) {
                fs[i] = b.bind(new InetSocketAddress("127.0.0.1", 0));
            }
            for (int i = 0; i < n; i++) {
                channels[i] = fs[i].sync().channel();
            }
        }
        long setupNanos = System.nanoTime() - t0;
        long heap1 = usedHeap();
        System.err.printf(
                Locale.ROOT,
                "[scale] %s %d: set up in %.0f ms, %d B heap per channel%n",
                transport,
                n,
                setupNanos / 1e6,
                (heap1 - heap0) / n);

        // Group the channels by loop, so each round is one task per loop, for both transports.
        Map<EventLoop, List<Channel>> byLoop = new IdentityHashMap<>();
        InetSocketAddress[] dest = new InetSocketAddress[n];
        for (int i = 0; i < n; i++) {
            byLoop.computeIfAbsent(channels[i].eventLoop(), l -> new ArrayList<>())
                    .add(channels[i]);
            dest[i] = (InetSocketAddress) channels[(i + 1) % n].localAddress();
        }
        Map<Channel, InetSocketAddress> to = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            to.put(channels[i], dest[i]);
        }
        // A measured unit is enough rounds to move at least 100,000 datagrams, so small sizes are not timed on a
        // few milliseconds of work (and warm the JIT as long as large ones).
        int perUnit = Math.max(1, datagramsPerUnit / n);
        double[] rates = new double[rounds];
        long expected = 0;
        for (int r = 0; r < warmup + rounds; r++) {
            long start = System.nanoTime();
            for (int k = 0; k < perUnit; k++) {
                expected += n;
                for (Map.Entry<EventLoop, List<Channel>> e : byLoop.entrySet()) {
                    List<Channel> chs = e.getValue();
                    e.getKey().execute(() -> {
                        for (Channel ch : chs) {
                            ch.writeAndFlush(
                                    new DatagramPacket(payload.retainedDuplicate(), to.get(ch)), ch.voidPromise());
                        }
                    });
                }
                final long want = expected;
                if (net != null) {
                    if (!net.runUntil(() -> sink.datagrams() >= want)) {
                        throw new IllegalStateException("round " + r + ": " + sink.datagrams() + " of " + want);
                    }
                } else {
                    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (sink.datagrams() < want) {
                        if (System.nanoTime() > giveUp) {
                            throw new IllegalStateException("round " + r + ": " + sink.datagrams() + " of " + want);
                        }
                        Thread.onSpinWait();
                    }
                }
            }
            long took = System.nanoTime() - start;
            System.err.printf(
                    Locale.ROOT, "[scale] %s %d: %d round(s) in %.1f ms%n", transport, n, perUnit, took / 1e6);
            if (r >= warmup) {
                rates[r - warmup] = (double) n * perUnit / (took / 1e9);
            }
        }
        long heap2 = usedHeap();
        Arrays.sort(rates);
        double median = rates[rates.length / 2];
        if (net != null) {
            net.close();
        } else {
            Future<?> f = nioGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            f.sync();
        }
        payload.release();
        return String.format(
                Locale.ROOT,
                "%s %d %.1f %d %.0f %d ok",
                transport,
                n,
                setupNanos / 1e6,
                (heap1 - heap0) / n,
                median,
                (heap2 - heap0) / n);
    }
}
