package io.nettyvirtual.testing;

import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import java.net.InetSocketAddress;

/**
 * The smallest topology, on a deterministic network: host {@code a} (10.0.0.1) and host {@code b} (10.0.0.2)
 * joined by one wire, a sending channel bound to {@link #A} and a {@link Recorder} bound to {@link #B}.
 */
public final class TwoHosts implements AutoCloseable {
    public static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1);
    public static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 2);

    public final VirtualNetwork net;
    public final VirtualEventLoopGroup group;
    public final Host a;
    public final Host b;
    public final Wire wire;
    public final Channel sender;
    public final Recorder rec;

    public TwoHosts(long seed, LinkConfig config) {
        net = VirtualNetwork.create(seed);
        group = new VirtualEventLoopGroup(net);
        a = net.newHost("a", "10.0.0.1");
        b = net.newHost("b", "10.0.0.2");
        wire = net.newWire(a, b, config);
        rec = new Recorder(net.clock());
        sender = Nets.bind(net, group, A, new Recorder(net.clock()));
        Nets.bind(net, group, B, rec);
    }

    /** Writes {@code count} datagrams of {@code size} bytes from {@link #A} to {@link #B} and flushes once. */
    public void send(int count, int size) {
        for (int i = 0; i < count; i++) {
            sender.write(Nets.sized(size, B));
        }
        sender.flush();
    }

    @Override
    public void close() {
        net.close();
    }
}
