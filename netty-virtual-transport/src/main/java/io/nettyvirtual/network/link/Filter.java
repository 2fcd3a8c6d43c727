package io.nettyvirtual.network.link;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.util.function.Predicate;

/**
 * A test's packet filter ({@link LinkConfig#filter(Predicate)}): drops the packets it chooses. A filter that throws
 * is a bug in the test, not in the network: the packet is dropped as {@link DropReason#FILTER_FAILED}, so the
 * counters stay exact and nothing leaks, the first failure of each filter is logged with its stack trace, and the
 * simulation goes on (the exception must not close the sending channel or escape from a {@code run} call on
 * another element's behalf).
 */
final class Filter extends Stage {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(Filter.class);

    private Predicate<? super Packet> drop;
    private boolean failureLogged;

    Filter(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        if (config.filter != drop) {
            drop = config.filter;
            failureLogged = false;
        }
        return drop != null;
    }

    @Override
    void accept(Packet p) {
        boolean dropIt;
        try {
            dropIt = drop.test(p);
        } catch (Throwable t) {
            ctx.drop(p, DropReason.FILTER_FAILED);
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
            if (!failureLogged) {
                failureLogged = true;
                logger.warn(
                        "link {}: the filter threw on {}; dropped as FILTER_FAILED (later failures of this "
                                + "filter are only counted)",
                        ctx.link.name(),
                        p,
                        t);
            }
            return;
        }
        if (dropIt) {
            ctx.drop(p, DropReason.FILTERED);
        } else {
            next.accept(p);
        }
    }
}
