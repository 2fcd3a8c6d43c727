package io.nettyvirtual.network;

/**
 * What a wire's end or a switch port plugs into: a {@link Node} (a switch takes any number of wires; a host or a
 * router takes the next of its interfaces that is not plugged yet) or one named {@link Interface} of a host or
 * router.
 */
public sealed interface Pluggable permits Node, Interface {
    /** The node this plugs into: the node itself, or the interface's owner. */
    Node node();
}
