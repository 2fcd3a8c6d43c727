package io.nettyvirtual.channel;

import io.netty.channel.ChannelOption;

/**
 * The {@link ChannelOption}s a {@link VirtualDatagramChannel} has beyond Netty's own, as {@code EpollChannelOption}
 * holds the epoll transport's.
 */
public final class VirtualChannelOption<T> extends ChannelOption<T> {
    /**
     * Don't fragment: when {@code true}, every datagram the channel sends is marked not to be fragmented
     * ({@link io.nettyvirtual.packet.Packet#dontFragment()}), so a link whose MTU it exceeds drops it (and counts the
     * drop) instead of fragmenting it; default {@code false}, Linux's default of fragmenting an over-MTU UDP datagram.
     * QUIC needs it: its datagrams must not be fragmented and must carry DF over IPv4 (RFC 9000, section 14),
     * which is also what makes path MTU probing work. On Linux it is
     * {@code IP_MTU_DISCOVER} = {@code IP_PMTUDISC_DO} (IPv4) or {@code IPV6_DONTFRAG} (IPv6), and through NIO
     * {@code NioChannelOption.of(jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT)} (JDK 19 and later), which this
     * channel accepts too, so a bootstrap written for NIO keeps working.
     */
    public static final ChannelOption<Boolean> IP_DONTFRAGMENT = valueOf(VirtualChannelOption.class, "IP_DONTFRAGMENT");

    @SuppressWarnings({"deprecation", "unused"})
    private VirtualChannelOption() {
        super(null);
    }
}
