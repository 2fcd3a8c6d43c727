/**
 * netty-virtual's test support: fixtures (a two-host network, recording and echo handlers, Netty's leak-presence
 * check per test), a QUIC codec set-up and file service, the JUnit 5 extension ({@code @VirtualNetworkTest},
 * {@code @SeedSweep}), jqwik fault schedules and an HTML run report. JUnit, jqwik and the QUIC codec are optional:
 * only what a test uses must be present.
 */
module io.nettyvirtual.testkit {
    requires transitive io.nettyvirtual.transport;
    requires static transitive org.junit.jupiter.api;
    requires static org.junit.platform.commons;
    requires static transitive net.jqwik.api;
    requires static transitive io.netty.codec.classes.quic;
    requires static io.netty.pkitesting;

    exports io.nettyvirtual.testing;
    exports io.nettyvirtual.testing.faults;
    exports io.nettyvirtual.testing.junit;
    exports io.nettyvirtual.testing.quic;
    exports io.nettyvirtual.testing.report;
}
