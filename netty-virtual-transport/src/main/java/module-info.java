/**
 * netty-virtual's transport: a Netty {@code DatagramChannel} and {@code EventLoopGroup} on a simulated network with
 * a virtual clock. The packages follow a packet's path (see {@code docs/architecture.md}); the engine that moves
 * the clock ({@code io.nettyvirtual.engine}) is not part of the API and is exported only to the QUIC module, which
 * binds quiche's clock to it.
 */
module io.nettyvirtual.transport {
    requires transitive io.netty.common;
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;

    exports io.nettyvirtual;
    exports io.nettyvirtual.capture;
    exports io.nettyvirtual.channel;
    exports io.nettyvirtual.network;
    exports io.nettyvirtual.network.firewall;
    exports io.nettyvirtual.network.link;
    exports io.nettyvirtual.network.nat;
    exports io.nettyvirtual.network.route;
    exports io.nettyvirtual.packet;
    exports io.nettyvirtual.stats;
    exports io.nettyvirtual.time;
    exports io.nettyvirtual.trace;
    exports io.nettyvirtual.engine to
            io.nettyvirtual.quic,
            io.nettyvirtual.testkit;

    uses io.nettyvirtual.NetworkExtension;

    provides io.nettyvirtual.NetworkExtension with
            io.nettyvirtual.channel.SchedulerExtension;
}
