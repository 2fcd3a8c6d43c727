/**
 * Runs Netty's QUIC codec (quiche) on a simulated network's virtual clock and seeded random source. Present on the
 * class path or module path, it switches itself on for every network built in a virtual mode (a
 * {@code NetworkExtension} found by {@code ServiceLoader}).
 */
module io.nettyvirtual.quic {
    requires transitive io.nettyvirtual.transport;
    requires transitive io.netty.codec.classes.quic;

    exports io.nettyvirtual.quic;

    provides io.nettyvirtual.NetworkExtension with
            io.nettyvirtual.quic.QuicNetworkExtension;
}
