package io.nettyvirtual.examples;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Interface;
import io.nettyvirtual.network.Router;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.nat.NatConfig;
import io.nettyvirtual.network.nat.NatCounters;
import io.nettyvirtual.network.nat.NatRefusal;
import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.stats.PacketTap;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Two peers behind different NATs try to talk directly, as a peer-to-peer application does: each registers with a
 * rendezvous server on the public side, learns the other's public endpoint from it, and punches a hole (sends to
 * that endpoint, and again 100 ms later). A peer that reads anything from the other says hello directly; one that
 * has heard nothing half a second after its introduction (or gets a relayed message first) falls back to relaying
 * through the server. Two scenarios run: a port-restricted cone and a restricted cone NAT, which connect; a
 * symmetric NAT and a port-restricted cone NAT, which cannot (the symmetric NAT shows the other peer a port the
 * server never saw), so the peers relay. Each is printed as a story with virtual timestamps: what the peers did,
 * which mappings each NAT made and which datagrams it dropped, and why.
 *
 * <p>Run it with
 * {@code mvn -q -pl netty-virtual-examples -am compile exec:java -Dexec.mainClass=io.nettyvirtual.examples.NatTraversalDemo}.
 */
public final class NatTraversalDemo {
    private NatTraversalDemo() {}

    static final long SEED = 2026;
    static final InetSocketAddress SERVER = endpoint("203.0.113.10", 3478);
    static final long RETRY_MS = 100;
    static final long INTRODUCTION_GAP_MS = 50;
    static final long FALLBACK_MS = 500;

    /** How a scenario ended: which path the peers' hellos took, and when the second one arrived. */
    public enum Path {
        DIRECT,
        RELAYED
    }

    /** What one scenario measured. */
    public record Scenario(
            String title,
            Path path,
            double lastHelloMillis,
            NatCounters natA,
            NatCounters natB,
            PacketCounters counters,
            List<String> story) {}

    /** What the demo measured; the same for every run (the seed is fixed). */
    public record Result(long seed, List<Scenario> scenarios) {}

    /** Runs the demo and prints its story to standard output. */
    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs both scenarios, prints their stories to {@code out}, and returns what they measured. */
    public static Result run(PrintStream out) {
        out.printf("NAT traversal demo (seed %d): hole punching through two NATs, a relay when it fails%n", SEED);
        List<Scenario> scenarios = new ArrayList<>();
        scenarios.add(scenario(
                out,
                "alice behind a port-restricted cone NAT, bob behind a restricted cone NAT",
                NatConfig.portRestrictedCone(),
                NatConfig.restrictedCone()));
        scenarios.add(scenario(
                out,
                "alice behind a symmetric NAT, bob behind a port-restricted cone NAT",
                NatConfig.symmetric(),
                NatConfig.portRestrictedCone()));
        return new Result(SEED, List.copyOf(scenarios));
    }

    /** The story of one scenario, line by line, each line stamped with the virtual time. */
    static final class Story {
        final VirtualNetwork net;
        final PrintStream out;
        final List<String> lines = new ArrayList<>();

        Story(VirtualNetwork net, PrintStream out) {
            this.net = net;
            this.out = out;
        }

        void say(String format, Object... args) {
            String line = String.format("%10.3f ms  %s", net.clock().nanoTime() / 1e6, String.format(format, args));
            lines.add(line);
            out.println(line);
        }
    }

    /** Narrates what a NAT router does: each new external endpoint it gives out, each datagram it drops. */
    static final class NatNarrator implements PacketTap {
        final Story story;
        final String name;
        final Map<Packet, InetSocketAddress> entered = new IdentityHashMap<>();
        final Set<String> mappings = new HashSet<>();

        NatNarrator(Story story, String name) {
            this.story = story;
            this.name = name;
        }

        @Override
        public void packet(long nanos, Event event, String element, Packet packet, DropReason reason) {
            if (packet.protocol() != IpProtocol.UDP) {
                return;
            }
            switch (event) {
                case ENTERED:
                    entered.put(packet, packet.source());
                    break;
                case LEFT: {
                    InetSocketAddress before = entered.remove(packet);
                    InetSocketAddress after = packet.source();
                    if (before != null && !before.equals(after) && mappings.add(before + " " + after)) {
                        story.say(
                                "%s: new mapping %s -> %s (first datagram to %s)",
                                name, text(before), text(after), text(packet.destination()));
                    }
                    break;
                }
                case DROPPED:
                    entered.remove(packet);
                    story.say(
                            "%s: drops a datagram from %s to %s: %s",
                            name, text(packet.source()), text(packet.destination()), reason);
                    break;
                default:
                    break;
            }
        }
    }

    /**
     * The rendezvous server: learns each peer's public endpoint from its registration, introduces them (alice at
     * once, bob {@link #INTRODUCTION_GAP_MS} later) and relays messages between them on request.
     */
    static final class Rendezvous extends SimpleChannelInboundHandler<DatagramPacket> {
        final Story story;
        final Map<String, InetSocketAddress> peers = new LinkedHashMap<>();

        Rendezvous(Story story) {
            this.story = story;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            String s = msg.content().toString(StandardCharsets.UTF_8);
            if (s.startsWith("register ")) {
                String name = s.substring(9);
                peers.put(name, msg.sender());
                story.say("server: %s registered from %s", name, text(msg.sender()));
                if (peers.size() == 2) {
                    InetSocketAddress alice = peers.get("alice");
                    InetSocketAddress bob = peers.get("bob");
                    ctx.writeAndFlush(datagram("peer bob " + text(bob), alice));
                    ctx.executor()
                            .schedule(
                                    () -> ctx.writeAndFlush(datagram("peer alice " + text(alice), bob)),
                                    INTRODUCTION_GAP_MS,
                                    TimeUnit.MILLISECONDS);
                }
            } else if (s.startsWith("relay ")) {
                String from = null;
                for (Map.Entry<String, InetSocketAddress> e : peers.entrySet()) {
                    if (e.getValue().equals(msg.sender())) {
                        from = e.getKey();
                    }
                }
                String to = "alice".equals(from) ? "bob" : "alice";
                story.say("server: relays %s's message to %s", from, to);
                ctx.writeAndFlush(datagram("relayed " + s.substring(6), peers.get(to)));
            }
        }
    }

    /** A peer: registers, punches when introduced, says hello directly or through the relay. */
    static final class Peer extends SimpleChannelInboundHandler<DatagramPacket> {
        final String name;
        final String other;
        final Story story;
        InetSocketAddress peer;
        Path path;
        long helloReadAt = -1;

        Peer(String name, String other, Story story) {
            this.name = name;
            this.other = other;
            this.story = story;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            String s = msg.content().toString(StandardCharsets.UTF_8);
            if (msg.sender().equals(SERVER)) {
                if (s.startsWith("peer ")) {
                    peer = endpoint(s.substring(s.lastIndexOf(' ') + 1));
                    story.say("%s: the server says %s is at %s; punching", name, other, text(peer));
                    punch(ctx);
                    ctx.executor().schedule(() -> punch(ctx), RETRY_MS, TimeUnit.MILLISECONDS);
                    ctx.executor().schedule(() -> fallBack(ctx), FALLBACK_MS, TimeUnit.MILLISECONDS);
                } else if (s.startsWith("relayed ")) {
                    helloReadAt = story.net.clock().nanoTime();
                    story.say("%s: reads \"%s\" through the relay", name, s.substring(8));
                    fallBack(ctx);
                }
                return;
            }
            if (s.equals("punch")) {
                story.say("%s: a punch from %s got through", name, text(msg.sender()));
            } else {
                helloReadAt = story.net.clock().nanoTime();
                story.say("%s: reads \"%s\" directly from %s", name, s, text(msg.sender()));
            }
            if (path == null) {
                path = Path.DIRECT;
                story.say("%s: the hole is open; says hello directly", name);
                ctx.writeAndFlush(datagram("hello " + other + ", this is " + name, msg.sender()));
            }
        }

        private void punch(ChannelHandlerContext ctx) {
            if (path == null) {
                ctx.writeAndFlush(datagram("punch", peer));
            }
        }

        private void fallBack(ChannelHandlerContext ctx) {
            if (path != null) {
                return;
            }
            path = Path.RELAYED;
            story.say("%s: nothing from %s directly; says hello through the relay", name, other);
            ctx.writeAndFlush(datagram("relay hello " + other + ", this is " + name, SERVER));
        }
    }

    private static Scenario scenario(PrintStream out, String title, NatConfig.Builder a, NatConfig.Builder b) {
        out.println();
        out.println("== " + title);
        try (VirtualNetwork net = VirtualNetwork.create(SEED)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Story story = new Story(net, out);
            Switch internet = net.newSwitch("internet");
            Host server = net.newHost("server", "203.0.113.10/24");
            net.newWire(server, internet, LinkConfig.delayed(Duration.ofMillis(1)));
            Router natA = home(net, internet, "nat-a", "203.0.113.2", "192.168.1", a, story);
            Router natB = home(net, internet, "nat-b", "203.0.113.3", "192.168.2", b, story);

            Bootstrap bootstrap = new Bootstrap().group(group).channel(VirtualDatagramChannel.class);
            net.runUntil(bootstrap.clone().handler(new Rendezvous(story)).bind(SERVER));
            Peer alice = new Peer("alice", "bob", story);
            Peer bob = new Peer("bob", "alice", story);
            var ca = net.runUntil(bootstrap.clone().handler(alice).bind(endpoint("192.168.1.10", 5000)))
                    .channel();
            var cb = net.runUntil(bootstrap.clone().handler(bob).bind(endpoint("192.168.2.10", 5000)))
                    .channel();
            story.say(
                    "alice (192.168.1.10:5000) and bob (192.168.2.10:5000) register with the server %s", text(SERVER));
            ca.writeAndFlush(datagram("register alice", SERVER));
            cb.writeAndFlush(datagram("register bob", SERVER));
            net.runUntilIdle();

            Path path = alice.path == bob.path ? alice.path : null;
            double last = Math.max(alice.helloReadAt, bob.helloReadAt) / 1e6;
            NatCounters ca1 = natA.natCounters();
            NatCounters cb1 = natB.natCounters();
            out.printf(
                    "outcome: %s, both hellos read by %.3f ms%n",
                    path == Path.DIRECT ? "a direct path" : path == Path.RELAYED ? "relayed by the server" : "mixed",
                    last);
            out.println("nat-a: " + summary(ca1));
            out.println("nat-b: " + summary(cb1));
            PacketCounters counters = net.counters();
            out.println(counters);
            return new Scenario(title, path, last, ca1, cb1, counters, List.copyOf(story.lines));
        }
    }

    private static String summary(NatCounters c) {
        StringBuilder sb = new StringBuilder()
                .append("mappings created ")
                .append(c.created())
                .append(", active ")
                .append(c.active());
        for (NatRefusal r : NatRefusal.values()) {
            if (c.refused(r) != 0) {
                sb.append(", refused ").append(r).append(' ').append(c.refused(r));
            }
        }
        return sb.toString();
    }

    /** A home: a NAT router 10 ms from the public switch, its host {@code lan}.10 5 ms behind it. */
    private static Router home(
            VirtualNetwork net,
            Switch internet,
            String name,
            String wanAddress,
            String lan,
            NatConfig.Builder nat,
            Story story) {
        Router r = net.newRouter(name);
        Interface wan = r.newInterface("wan", wanAddress + "/24");
        Interface inside = r.newInterface("lan", lan + ".1/24");
        net.newWire(wan, internet, LinkConfig.delayed(Duration.ofMillis(10)));
        Host h = net.newHost(name + "-host", lan + ".10/24").defaultGateway(lan + ".1");
        net.newWire(h, inside, LinkConfig.delayed(Duration.ofMillis(5)));
        r.nat(wan, nat.externalAddresses(wan.address()).build());
        r.addTap(new NatNarrator(story, name));
        return r;
    }

    private static DatagramPacket datagram(String text, InetSocketAddress to) {
        return new DatagramPacket(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), to);
    }

    static String text(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    static InetSocketAddress endpoint(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    static InetSocketAddress endpoint(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return endpoint(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
