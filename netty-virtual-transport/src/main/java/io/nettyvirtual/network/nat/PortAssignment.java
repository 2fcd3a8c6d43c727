package io.nettyvirtual.network.nat;

/**
 * How a NAT picks the external port of a new mapping (RFC 4787 section 4.2.1). Whatever the choice, two internal
 * endpoints never share an external endpoint (no "port overloading", RFC 4787 REQ-3).
 */
public enum PortAssignment {
    /**
     * Keep the internal port if it is free on the external address; otherwise the next free port above it (as
     * {@link #SEQUENTIAL} would from there). What Linux's masquerading does first.
     */
    PRESERVE,
    /** The next free port after the last one assigned on that external address, wrapping within the range. */
    SEQUENTIAL,
    /** A port drawn from the simulation's seeded random source (the next free one above it if taken). */
    RANDOM
}
