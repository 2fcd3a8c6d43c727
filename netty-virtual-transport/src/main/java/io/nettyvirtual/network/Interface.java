package io.nettyvirtual.network;

import io.nettyvirtual.network.route.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A network interface of a {@link Host} or a {@link Router}: a name ({@code eth0}, {@code wlan0}), the addresses
 * assigned to it with their subnet ({@code 192.168.1.10/24}), and one attachment point that a wire or a switch
 * plugs into. A host's interface may have a gateway and a metric: the host's default route through it, ranked by
 * metric as Linux ranks default routes (lowest first).
 *
 * <p>An interface can go {@link #down()} and {@link #up()} while the simulation runs. A down interface is as one
 * whose link was lost and whose addresses were taken away (what a laptop does when it leaves a Wi-Fi network): its
 * routes are gone, so traffic moves to the next interface that has a route; packets that reach it are dropped as
 * {@link io.nettyvirtual.stats.DropReason#INTERFACE_DOWN}; and a socket bound to one of its addresses can no
 * longer send ({@code Cannot assign requested address}, as Linux says).
 */
public final class Interface implements Pluggable {
    final Node owner;
    final String name;
    final List<InetAddress> addresses = new ArrayList<>(1);
    /** The subnet of each address in {@link #addresses}, or null where none was given (a host route). */
    final List<IpPrefix> prefixes = new ArrayList<>(1);

    Port port;
    boolean up = true;
    InetAddress gateway;
    int metric;

    Interface(Node owner, String name, int metric) {
        this.owner = owner;
        this.name = name;
        this.metric = metric;
    }

    /** The interface's name, unique on its node. */
    public String name() {
        return name;
    }

    @Override
    public Node node() {
        return owner;
    }

    /** The addresses assigned to this interface, in the order given. */
    public List<InetAddress> addresses() {
        return owner.model.locked(() -> Collections.unmodifiableList(new ArrayList<>(addresses)));
    }

    /** The address assigned first, or null if none is. */
    public InetAddress address() {
        return owner.model.locked(() -> addresses.isEmpty() ? null : addresses.get(0));
    }

    /** The subnets of this interface's addresses (an address given without one counts as its own /32 or /128). */
    public List<IpPrefix> subnets() {
        return owner.model.locked(() -> {
            List<IpPrefix> out = new ArrayList<>(prefixes.size());
            for (int i = 0; i < prefixes.size(); i++) {
                IpPrefix p = prefixes.get(i);
                InetAddress a = addresses.get(i);
                out.add(p != null ? p : IpPrefix.containing(a, a.getAddress().length * 8));
            }
            return Collections.unmodifiableList(out);
        });
    }

    /** The gateway of the host's default route through this interface, or null. */
    public InetAddress gateway() {
        return owner.model.locked(() -> gateway);
    }

    /** The metric of the routes through this interface: the lowest wins among routes of the same prefix. */
    public int metric() {
        return owner.model.locked(() -> metric);
    }

    /** Whether the interface is up (the default). */
    public boolean isUp() {
        return owner.model.locked(() -> up);
    }

    /** Whether a wire or a switch is plugged into this interface. */
    public boolean isPlugged() {
        return owner.model.locked(() -> port != null && port.peer != null);
    }

    /**
     * Makes {@code address} (an address literal inside one of this interface's subnets) the gateway of this host's
     * default route through this interface, or removes it ({@code null}). Only a host's interface has a gateway; a
     * router's routes are its own ({@link Router#route}).
     *
     * @throws IllegalArgumentException if the address is malformed or on none of this interface's subnets
     */
    public Interface gateway(String address) {
        if (!(owner instanceof Host)) {
            throw new IllegalStateException("interface " + this + " is a router's: give the router a route instead");
        }
        InetAddress g = address == null ? null : IpPrefix.parseAddress(address, "gateway");
        owner.model.locked(() -> {
            if (g != null && !onSubnet(g)) {
                throw new IllegalArgumentException("gateway " + address + " is on none of the subnets of " + this);
            }
            gateway = g;
            owner.routesChanged();
        });
        return this;
    }

    /** Sets the metric of the routes through this interface (lowest wins; Linux: Ethernet 100, Wi-Fi 600). */
    public Interface metric(int metric) {
        if (metric < 0) {
            throw new IllegalArgumentException("metric: " + metric + " (expected 0 or more)");
        }
        owner.model.locked(() -> {
            this.metric = metric;
            owner.routesChanged();
        });
        return this;
    }

    /**
     * Assigns {@code address} to this interface: an address with its subnet ({@code "192.168.1.10/24"}) or a bare
     * address.
     *
     * @throws IllegalArgumentException if it is malformed, owned already, or its subnet overlaps another one in use
     */
    public Interface addAddress(String address) {
        owner.model.locked(() -> {
            owner.model.assign(owner, this, new String[] {address});
            owner.routesChanged();
        });
        return this;
    }

    /**
     * Assigns the next free address of {@code subnet} (declared with {@code VirtualNetwork.newSubnet} or used
     * already) to this interface and returns it: the lowest host address not taken, so that a topology built in the
     * same order gets the same addresses.
     *
     * @throws IllegalStateException if the subnet has no free address left
     */
    public InetAddress assignNext(IpPrefix subnet) {
        if (subnet == null) {
            throw new NullPointerException("subnet");
        }
        return owner.model.locked(() -> {
            InetAddress a = owner.model.assignNext(owner, this, subnet);
            owner.routesChanged();
            return a;
        });
    }

    boolean onSubnet(InetAddress a) {
        for (IpPrefix p : prefixes) {
            if (p != null && p.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Takes the interface down: see the class doc. Does nothing if it is down already. */
    public Interface down() {
        owner.model.locked(() -> owner.interfaceChanged(this, false));
        return this;
    }

    /** Brings the interface back up with its addresses and routes. Does nothing if it is up already. */
    public Interface up() {
        owner.model.locked(() -> owner.interfaceChanged(this, true));
        return this;
    }

    /** Whether {@code address} is assigned here and usable (the interface is up). */
    boolean owns(InetAddress address) {
        return up && addresses.contains(address);
    }

    @Override
    public String toString() {
        return owner.name + "/" + name + addresses;
    }
}
