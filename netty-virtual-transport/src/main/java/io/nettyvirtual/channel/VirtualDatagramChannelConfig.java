package io.nettyvirtual.channel;

import static io.netty.channel.ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION;
import static io.netty.channel.ChannelOption.IP_MULTICAST_ADDR;
import static io.netty.channel.ChannelOption.IP_MULTICAST_IF;
import static io.netty.channel.ChannelOption.IP_MULTICAST_LOOP_DISABLED;
import static io.netty.channel.ChannelOption.IP_MULTICAST_TTL;
import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_BROADCAST;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.channel.ChannelOption.SO_SNDBUF;
import static io.nettyvirtual.channel.VirtualChannelOption.IP_DONTFRAGMENT;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannelConfig;
import io.netty.channel.socket.nio.NioChannelOption;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Map;

/**
 * The {@link DatagramChannelConfig} of a {@link VirtualDatagramChannel}. {@code SO_RCVBUF} bounds the bytes waiting
 * to be read (what does not fit is dropped and counted); {@code SO_SNDBUF} bounds the bytes that have been sent but
 * have not yet left the host (queued for or being serialized onto the first wire): beyond it writes wait in the
 * channel's outbound buffer and writability follows its water marks. Both default to Linux's 212,992 bytes.
 *
 * <p>{@code IP_TOS} is the whole TOS byte (traffic class over IPv6), 0 to 255, kept and reported as set; its two
 * low bits are the ECN codepoint of every datagram the channel sends (as on Linux, where the upper six bits are
 * the DSCP), unless the datagram is an {@link EcnDatagramPacket} with a codepoint of its own.
 * {@link VirtualChannelOption#IP_DONTFRAGMENT} marks every datagram sent as not to be fragmented.
 * The other socket options are stored and reported but have no effect on the simulated network.
 */
public final class VirtualDatagramChannelConfig extends DefaultChannelConfig implements DatagramChannelConfig {
    /** Default SO_SNDBUF and SO_RCVBUF, as on Linux (net.core.wmem_default / rmem_default). */
    public static final int DEFAULT_BUFFER_SIZE = 212_992;

    private volatile int sendBufferSize = DEFAULT_BUFFER_SIZE;
    private volatile int receiveBufferSize = DEFAULT_BUFFER_SIZE;
    private volatile int trafficClass;
    private volatile boolean reuseAddress;
    private volatile boolean broadcast;
    private volatile boolean loopbackModeDisabled;
    private volatile int timeToLive = 64;
    private volatile InetAddress multicastInterface;
    private volatile NetworkInterface networkInterface;
    private volatile boolean activeOnRegistration;
    private volatile boolean dontFragment;

    VirtualDatagramChannelConfig(VirtualDatagramChannel channel) {
        super(channel);
    }

    boolean activeOnRegistration() {
        return activeOnRegistration;
    }

    @Override
    @SuppressWarnings("deprecation")
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(
                super.getOptions(),
                SO_BROADCAST,
                SO_RCVBUF,
                SO_SNDBUF,
                SO_REUSEADDR,
                IP_MULTICAST_LOOP_DISABLED,
                IP_MULTICAST_ADDR,
                IP_MULTICAST_IF,
                IP_MULTICAST_TTL,
                IP_TOS,
                DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION,
                IP_DONTFRAGMENT);
    }

    @Override
    @SuppressWarnings({"unchecked", "deprecation"})
    public <T> T getOption(ChannelOption<T> option) {
        if (option == SO_BROADCAST) {
            return (T) Boolean.valueOf(broadcast);
        }
        if (option == SO_RCVBUF) {
            return (T) Integer.valueOf(receiveBufferSize);
        }
        if (option == SO_SNDBUF) {
            return (T) Integer.valueOf(sendBufferSize);
        }
        if (option == SO_REUSEADDR) {
            return (T) Boolean.valueOf(reuseAddress);
        }
        if (option == IP_MULTICAST_LOOP_DISABLED) {
            return (T) Boolean.valueOf(loopbackModeDisabled);
        }
        if (option == IP_MULTICAST_ADDR) {
            return (T) multicastInterface;
        }
        if (option == IP_MULTICAST_IF) {
            return (T) networkInterface;
        }
        if (option == IP_MULTICAST_TTL) {
            return (T) Integer.valueOf(timeToLive);
        }
        if (option == IP_TOS) {
            return (T) Integer.valueOf(trafficClass);
        }
        if (option == DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION) {
            return (T) Boolean.valueOf(activeOnRegistration);
        }
        if (isDontFragmentOption(option)) {
            return (T) Boolean.valueOf(dontFragment);
        }
        return super.getOption(option);
    }

    @Override
    @SuppressWarnings("deprecation")
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == SO_BROADCAST) {
            setBroadcast((Boolean) value);
        } else if (option == SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == IP_MULTICAST_LOOP_DISABLED) {
            setLoopbackModeDisabled((Boolean) value);
        } else if (option == IP_MULTICAST_ADDR) {
            setInterface((InetAddress) value);
        } else if (option == IP_MULTICAST_IF) {
            setNetworkInterface((NetworkInterface) value);
        } else if (option == IP_MULTICAST_TTL) {
            setTimeToLive((Integer) value);
        } else if (option == IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION) {
            if (channel.isRegistered()) {
                throw new IllegalStateException("Can only changed before channel was registered");
            }
            activeOnRegistration = (Boolean) value;
        } else if (isDontFragmentOption(option)) {
            if (!(value instanceof Boolean)) {
                throw new IllegalArgumentException("IP_DONTFRAGMENT: " + value + " (expected a Boolean)");
            }
            setDontFragment((Boolean) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    /**
     * {@link VirtualChannelOption#IP_DONTFRAGMENT}, or NIO's {@code ExtendedSocketOptions.IP_DONTFRAGMENT}
     * (JDK 19+) wrapped by {@code NioChannelOption.of}, matched by name since the JDK this is built on lacks it.
     */
    private static boolean isDontFragmentOption(ChannelOption<?> option) {
        return option == IP_DONTFRAGMENT
                || option instanceof NioChannelOption && "IP_DONTFRAGMENT".equals(option.name());
    }

    /** Whether datagrams sent are marked not to be fragmented ({@link VirtualChannelOption#IP_DONTFRAGMENT}). */
    public boolean isDontFragment() {
        return dontFragment;
    }

    /** Sets {@link VirtualChannelOption#IP_DONTFRAGMENT}: whether datagrams sent may not be fragmented. */
    public VirtualDatagramChannelConfig setDontFragment(boolean dontFragment) {
        this.dontFragment = dontFragment;
        return this;
    }

    @Override
    public int getSendBufferSize() {
        return sendBufferSize;
    }

    @Override
    public VirtualDatagramChannelConfig setSendBufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("sendBufferSize: " + size + " (expected > 0)");
        }
        sendBufferSize = size;
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return receiveBufferSize;
    }

    @Override
    public VirtualDatagramChannelConfig setReceiveBufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("receiveBufferSize: " + size + " (expected > 0)");
        }
        receiveBufferSize = size;
        return this;
    }

    @Override
    public int getTrafficClass() {
        return trafficClass;
    }

    @Override
    public VirtualDatagramChannelConfig setTrafficClass(int trafficClass) {
        if (trafficClass < 0 || trafficClass > 255) {
            throw new IllegalArgumentException("trafficClass: " + trafficClass + " (expected 0-255)");
        }
        this.trafficClass = trafficClass;
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return reuseAddress;
    }

    @Override
    public VirtualDatagramChannelConfig setReuseAddress(boolean reuseAddress) {
        this.reuseAddress = reuseAddress;
        return this;
    }

    @Override
    public boolean isBroadcast() {
        return broadcast;
    }

    @Override
    public VirtualDatagramChannelConfig setBroadcast(boolean broadcast) {
        this.broadcast = broadcast;
        return this;
    }

    @Override
    public boolean isLoopbackModeDisabled() {
        return loopbackModeDisabled;
    }

    @Override
    public VirtualDatagramChannelConfig setLoopbackModeDisabled(boolean disabled) {
        this.loopbackModeDisabled = disabled;
        return this;
    }

    @Override
    public int getTimeToLive() {
        return timeToLive;
    }

    @Override
    public VirtualDatagramChannelConfig setTimeToLive(int ttl) {
        this.timeToLive = ttl;
        return this;
    }

    @Override
    public InetAddress getInterface() {
        return multicastInterface;
    }

    @Override
    public VirtualDatagramChannelConfig setInterface(InetAddress interfaceAddress) {
        this.multicastInterface = interfaceAddress;
        return this;
    }

    @Override
    public NetworkInterface getNetworkInterface() {
        return networkInterface;
    }

    @Override
    public VirtualDatagramChannelConfig setNetworkInterface(NetworkInterface networkInterface) {
        this.networkInterface = networkInterface;
        return this;
    }

    @Override
    @Deprecated
    public VirtualDatagramChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public VirtualDatagramChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public VirtualDatagramChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    public VirtualDatagramChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public VirtualDatagramChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public VirtualDatagramChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public VirtualDatagramChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public VirtualDatagramChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    public VirtualDatagramChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }
}
