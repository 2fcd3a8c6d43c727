package io.nettyvirtual;

import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.engine.Simulation;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.NetworkModel;
import io.nettyvirtual.network.Node;
import io.nettyvirtual.network.Pluggable;
import io.nettyvirtual.network.Router;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.route.IpPrefix;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.stats.PacketTap;
import io.nettyvirtual.time.TimeMode;
import io.nettyvirtual.time.VirtualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A simulated network: hosts, switches and wires on one clock with one seeded random source. The entry point of
 * the library.
 *
 * <pre>{@code
 * try (VirtualNetwork net = VirtualNetwork.create(42)) {
 *     EventLoopGroup group = new VirtualEventLoopGroup(net);
 *     Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
 *     net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(50)));
 *     // Bootstrap with .group(group).channel(VirtualDatagramChannel.class), bind to 10.0.0.1:x and 10.0.0.2:y
 *     net.runUntil(done);                 // virtual time: returns as soon as 'done' completes
 * }
 * }</pre>
 *
 * <p>Every network has a host named {@code localhost} that owns the loopback addresses and takes wildcard binds
 * ({@link #defaultHost()}).
 *
 * <p>A run is replayed from its seed: {@link #create()} picks a random seed, or the one in the system property
 * {@code nettyvirtual.seed}; errors from {@code run*} name the seed.
 */
public final class VirtualNetwork implements AutoCloseable {
    // Just over 400 lines: it is the user's whole door (builder, run overloads, topology factories, counters, taps,
    // close), each a documented delegation to the model or the engine; what is not façade is in NetworkModel.

    /** System property that overrides the seed of networks created without one. */
    public static final String SEED_PROPERTY = "nettyvirtual.seed";

    private final Simulation simulation;
    private final NetworkModel model;
    private Function<VirtualNetwork, ScheduledExecutorService> schedulerFactory;
    private ScheduledExecutorService scheduler;
    /** Set once {@link #close()} has completed (every loop terminated). */
    private volatile boolean closed;

    private VirtualNetwork(TimeMode mode, long seed) {
        this.simulation = new Simulation(mode, seed);
        this.model = new NetworkModel(simulation);
    }

    /** A deterministic network with a random seed (or the seed in {@value #SEED_PROPERTY}). */
    public static VirtualNetwork create() {
        return builder().build();
    }

    /** A deterministic network with {@code seed}. */
    public static VirtualNetwork create(long seed) {
        return builder().seed(seed).build();
    }

    /** A builder to choose the time mode and the seed. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link VirtualNetwork}. */
    public static final class Builder {
        private TimeMode mode = TimeMode.DETERMINISTIC;
        private Long seed;
        private Duration runUntilLimit = Simulation.DEFAULT_RUN_UNTIL_LIMIT;

        private Builder() {}

        /** How time moves; default {@link TimeMode#DETERMINISTIC}. */
        public Builder mode(TimeMode mode) {
            if (mode == null) {
                throw new NullPointerException("mode");
            }
            this.mode = mode;
            return this;
        }

        /** The seed of the network's random source; default random (printed by errors) or {@value #SEED_PROPERTY}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * How much virtual time {@link VirtualNetwork#runUntil(Future)} (and a wait on a future from the driving
         * thread) may run before it fails, naming the time and the seed; default
         * {@link Simulation#DEFAULT_RUN_UNTIL_LIMIT} (one hour), long enough for any test's exchange and short
         * enough that a future that never completes while a periodic timer keeps the network busy fails fast.
         */
        public Builder runUntilLimit(Duration limit) {
            if (limit == null) {
                throw new NullPointerException("limit");
            }
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("runUntilLimit: " + limit + " (expected > 0)");
            }
            this.runUntilLimit = limit;
            return this;
        }

        /**
         * Builds the network; its deterministic driver is the calling thread. Every {@link NetworkExtension} on the
         * class path is told about it before it is returned.
         */
        public VirtualNetwork build() {
            long s;
            if (seed != null) {
                s = seed;
            } else {
                String prop = System.getProperty(SEED_PROPERTY);
                s = prop != null
                        ? Long.parseLong(prop.trim())
                        : ThreadLocalRandom.current().nextLong();
            }
            VirtualNetwork network = new VirtualNetwork(mode, s);
            network.simulation.runUntilLimit(runUntilLimit);
            Extensions.created(network);
            return network;
        }
    }

    /** The engine: clock, random source, schedule and driven loops. */
    public Simulation simulation() {
        return simulation;
    }

    /**
     * The network model under this façade: the root that hosts, switches and wires share (lock, counters, registry,
     * packet taps).
     */
    public NetworkModel model() {
        return model;
    }

    /** The network's clock (a Netty {@code Ticker}). */
    public VirtualClock clock() {
        return simulation.clock();
    }

    /** How time moves. */
    public TimeMode mode() {
        return simulation.mode();
    }

    /** The seed of the network's random source. */
    public long seed() {
        return simulation.seed();
    }

    /**
     * Runs until {@code future} completes and returns it, for at most the run-until limit of virtual time
     * ({@link Builder#runUntilLimit(Duration)}); see {@link Simulation#runUntil(Future)}.
     *
     * @throws IllegalStateException naming the virtual time and the seed if the network goes idle or reaches the
     *         limit first
     */
    public <V> Future<V> runUntil(Future<V> future) {
        return simulation.runUntil(future);
    }

    /**
     * Runs until {@code future} completes and returns it, e.g. {@code net.runUntil(bootstrap.bind(a)).channel()}.
     * (The one Netty channel type this class names: it is the façade's, and goes with it when the façade leaves the
     * network model's package; an overload is what keeps {@code runUntil(() -> cond)} unambiguous.)
     */
    public ChannelFuture runUntil(ChannelFuture future) {
        simulation.runUntil(future);
        return future;
    }

    /** Runs until {@code future} completes and returns it, for at most {@code limit} of virtual time. */
    public <V> Future<V> runUntil(Future<V> future, Duration limit) {
        return simulation.runUntil(future, limit);
    }

    /** Runs until {@code future} completes and returns it, for at most {@code limit} of virtual time. */
    public ChannelFuture runUntil(ChannelFuture future, Duration limit) {
        simulation.runUntil(future, limit);
        return future;
    }

    /** Runs until {@code condition} holds or nothing is left to do; returns whether it holds. */
    public boolean runUntil(BooleanSupplier condition) {
        return simulation.runUntil(condition);
    }

    /** Runs until {@code condition} holds or {@code timeout} of simulation time passed; returns whether it holds. */
    public boolean runUntil(BooleanSupplier condition, Duration timeout) {
        return simulation.runUntil(condition, timeout);
    }

    /** Runs for exactly {@code duration} of simulation time. */
    public void runFor(Duration duration) {
        simulation.runFor(duration);
    }

    /** Runs until nothing is runnable or scheduled. */
    public void runUntilIdle() {
        simulation.runUntilIdle();
    }

    /**
     * The clock as a {@link ScheduledExecutorService}, for code that is not a Netty handler: its tasks run on an
     * event loop of this network (made on first use), in simulation time.
     *
     * @throws IllegalStateException if no event loops are available (the transport's channel package provides them)
     */
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            if (schedulerFactory == null) {
                throw new IllegalStateException("no scheduler: the transport's channel package registers one when a "
                        + "network is built (io.nettyvirtual.channel is missing from the class path?)");
            }
            checkOpen("make a scheduler");
            scheduler = schedulerFactory.apply(this);
        }
        return scheduler;
    }

    /**
     * Sets how {@link #scheduler()} makes its executor: the network model knows no event loops, the layer that has
     * them (the transport's channel package, through a {@link NetworkExtension}) says how to make one.
     */
    public synchronized void schedulerFactory(Function<VirtualNetwork, ScheduledExecutorService> factory) {
        if (factory == null) {
            throw new NullPointerException("factory");
        }
        this.schedulerFactory = factory;
    }

    /** The host that owns the loopback addresses. */
    public Host localhost() {
        return model.localhost();
    }

    /** The host that takes wildcard binds ({@code 0.0.0.0:port}); {@link #localhost()} unless changed. */
    public Host defaultHost() {
        return model.defaultHost();
    }

    /** Makes {@code host} take wildcard and loopback binds. */
    public VirtualNetwork defaultHost(Host host) {
        model.defaultHost(host);
        return this;
    }

    /**
     * A new host named {@code name} that owns {@code addresses} (IPv4 or IPv6 literals). It is not plugged in yet:
     * plug it into a switch or join it to another node with a wire.
     *
     * @throws IllegalArgumentException if an address is not a literal or already owned by another host
     */
    public Host newHost(String name, String... addresses) {
        return model.newHost(name, addresses);
    }

    /** A new host named {@code name} that owns {@code addresses}. */
    public Host newHost(String name, List<InetAddress> addresses) {
        return model.newHost(name, addresses);
    }

    /** A new switch. */
    public Switch newSwitch(String name) {
        return model.newSwitch(name);
    }

    /**
     * A new router named {@code name}, with no interface yet: give it interfaces ({@link Router#newInterface}),
     * routes, and optionally a NAT and a firewall.
     */
    public Router newRouter(String name) {
        return model.newRouter(name);
    }

    /**
     * Declares the subnet {@code cidr} ({@code "192.168.1.0/24"}), so that interfaces can take its next free
     * address ({@link io.nettyvirtual.network.Interface#assignNext}).
     *
     * @throws IllegalArgumentException if it is malformed, has host bits set, or overlaps a subnet in use
     */
    public IpPrefix newSubnet(String cidr) {
        return model.newSubnet(cidr);
    }

    /** An ideal wire (no delay, no rate limit) between two nodes (or interfaces). */
    public Wire newWire(Pluggable a, Pluggable b) {
        return newWire(a, b, LinkConfig.ideal());
    }

    /** A wire between two nodes with the same settings in both directions. */
    public Wire newWire(Pluggable a, Pluggable b, LinkConfig config) {
        return newWire(a, b, config, config);
    }

    /** A wire between two nodes with separate settings for each direction. */
    public Wire newWire(Pluggable a, Pluggable b, LinkConfig aToB, LinkConfig bToA) {
        if (a == null) {
            throw new NullPointerException("a");
        }
        if (b == null) {
            throw new NullPointerException("b");
        }
        checkConfigs(aToB, bToA);
        if (a.node().model() != model || b.node().model() != model) {
            throw new IllegalArgumentException("both nodes must belong to this network");
        }
        if (a == b) {
            throw new IllegalArgumentException(
                    "a wire needs two different nodes: " + a.node().name());
        }
        Wire w = newWire(aToB, bToA);
        w.start().plug(a);
        w.end().plug(b);
        return w;
    }

    /** A free wire with the same settings in both directions: plug its {@link Wire#start()} and {@link Wire#end()}. */
    public Wire newWire(LinkConfig config) {
        return newWire(config, config);
    }

    /** A free wire with separate settings for each direction. */
    public Wire newWire(LinkConfig startToEnd, LinkConfig endToStart) {
        checkConfigs(startToEnd, endToStart);
        return model.newWire(startToEnd, endToStart);
    }

    private static void checkConfigs(LinkConfig forward, LinkConfig backward) {
        if (forward == null) {
            throw new NullPointerException(forward == backward ? "config" : "aToB (config of the first direction)");
        }
        if (backward == null) {
            throw new NullPointerException("bToA (config of the second direction)");
        }
    }

    private void checkOpen(String what) {
        model.checkOpen(what);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return simulation.isClosed();
    }

    /** The host that owns {@code address}, or null; loopback and wildcard addresses map to the default host. */
    public Host hostOwning(InetAddress address) {
        return model.hostOwning(address);
    }

    /** Every host and switch, in creation order. */
    public List<Node> nodes() {
        return model.nodes();
    }

    /** Every wire, in creation order. */
    public List<Wire> wires() {
        return model.wires();
    }

    /** Network-wide counts: sent by hosts, delivered to channels, dropped anywhere, in flight on wires. */
    public PacketCounters counters() {
        return model.counters();
    }

    /**
     * Attaches {@code tap} to the whole network: every packet sent, entering, leaving and dropped at every element,
     * and delivered, with its virtual time; see {@link NetworkModel#addTap(PacketTap)}. Attach to one element with
     * {@link Node#addTap} or {@link io.nettyvirtual.network.Link#addTap}.
     */
    public VirtualNetwork addTap(PacketTap tap) {
        model.addTap(tap);
        return this;
    }

    /** Detaches a tap attached with {@link #addTap(PacketTap)}. */
    public VirtualNetwork removeTap(PacketTap tap) {
        model.removeTap(tap);
        return this;
    }

    /** Packets inside wires now, counted from the wires' queues and propagation lines (not from the counters). */
    public long packetsInWires() {
        return model.packetsInWires();
    }

    /** A one-paragraph summary: clock, and per element packets delivered and dropped. */
    public String summary() {
        return model.summary();
    }

    /**
     * Shuts down every event loop group of this network, drops what is still on the wires (releasing the buffers)
     * and stops the clock; afterwards every attempt to add to the network (a host, a channel, a bind) fails saying
     * it is closed. A deterministic network is closed by its driving thread, outside the simulation: from elsewhere
     * this fails at once and closes nothing, since only that thread can run the loops down. Returns at once once the
     * network is closed; a close that failed (loops that did not terminate) is tried again by the next call.
     *
     * @throws IllegalStateException if called from the wrong thread, or if event loops did not terminate
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        simulation.checkCanClose();
        TimeoutException timeout = null;
        try {
            simulation.close();
        } catch (TimeoutException e) {
            timeout = e;
        }
        model.clearWires();
        if (timeout != null) {
            throw new IllegalStateException(
                    "closing the network (seed " + seed() + "): " + timeout.getMessage() + "; close() again to retry",
                    timeout);
        }
        closed = true;
        Extensions.closed(this);
    }

    @Override
    public String toString() {
        return "VirtualNetwork(" + mode() + ", seed " + seed() + ", " + clock() + ")";
    }
}
