package io.nettyvirtual.testing.report;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Link;
import io.nettyvirtual.network.Node;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's data as JSON: {@code times} (virtual milliseconds), per link {@code backlogPackets},
 * {@code inFlightPackets} and {@code goodputBitsPerSecond} (null before the link existed), cumulative
 * {@code drops} by reason, and {@code counters} (the last sample of the network, every node and every link).
 */
final class ReportJson {
    private ReportJson() {}

    static String write(
            VirtualNetwork net,
            long intervalNanos,
            List<NetworkRecorder.Sample> samples,
            List<Link> links,
            boolean truncated) {
        StringBuilder b = new StringBuilder(4096);
        b.append("{\"seed\":").append(net.seed());
        b.append(",\"mode\":").append(str(net.mode().name()));
        b.append(",\"intervalNanos\":").append(intervalNanos);
        b.append(",\"endNanos\":").append(samples.isEmpty() ? 0 : samples.get(samples.size() - 1).nanos);
        b.append(",\"truncated\":").append(truncated);
        b.append(",\"goodputScope\":\"link direction\"");
        b.append(",\"times\":[");
        for (int i = 0; i < samples.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(samples.get(i).nanos / 1e6);
        }
        b.append("],\"links\":[");
        for (int l = 0; l < links.size(); l++) {
            if (l > 0) {
                b.append(',');
            }
            b.append("{\"name\":").append(str(links.get(l).name()));
            b.append(",\"backlogPackets\":[");
            for (int i = 0; i < samples.size(); i++) {
                NetworkRecorder.Sample s = samples.get(i);
                sep(b, i);
                b.append(l < s.queued.length ? Long.toString(s.queued[l]) : "null");
            }
            b.append("],\"inFlightPackets\":[");
            for (int i = 0; i < samples.size(); i++) {
                NetworkRecorder.Sample s = samples.get(i);
                sep(b, i);
                b.append(l < s.links.length ? Long.toString(s.links[l].inFlight()) : "null");
            }
            b.append("],\"goodputBitsPerSecond\":[");
            for (int i = 0; i < samples.size(); i++) {
                sep(b, i);
                b.append(goodput(samples, i, l));
            }
            b.append("]}");
        }
        b.append("],\"drops\":{");
        DropReason[] reasons = DropReason.values();
        for (int r = 0; r < reasons.length; r++) {
            if (r > 0) {
                b.append(',');
            }
            b.append(str(reasons[r].name())).append(":[");
            for (int i = 0; i < samples.size(); i++) {
                sep(b, i);
                b.append(samples.get(i).network.dropped(reasons[r]));
            }
            b.append(']');
        }
        b.append("},\"counters\":[");
        List<PacketCounters> rows = counterRows(net, links);
        for (int i = 0; i < rows.size(); i++) {
            sep(b, i);
            counters(b, rows.get(i));
        }
        return b.append("]}").toString();
    }

    /** The counters table, as the network's counters stand now: the network, every node, every link. */
    static List<PacketCounters> counterRows(VirtualNetwork net, List<Link> links) {
        List<PacketCounters> rows = new ArrayList<>();
        rows.add(net.counters());
        for (Node n : net.nodes()) {
            rows.add(n.counters());
        }
        for (Link l : links) {
            rows.add(l.counters());
        }
        return rows;
    }

    private static String goodput(List<NetworkRecorder.Sample> samples, int i, int l) {
        NetworkRecorder.Sample s = samples.get(i);
        if (l >= s.links.length) {
            return "null";
        }
        if (i == 0) {
            return "0";
        }
        NetworkRecorder.Sample p = samples.get(i - 1);
        long before = l < p.links.length ? p.links[l].deliveredBytes() : 0;
        long dt = s.nanos - p.nanos;
        if (dt <= 0) {
            return "0";
        }
        long bytes = s.links[l].deliveredBytes() - before;
        return Long.toString(Math.round(bytes * 8 * 1e9 / dt));
    }

    private static void counters(StringBuilder b, PacketCounters c) {
        b.append("{\"name\":").append(str(c.name()));
        b.append(",\"sent\":").append(c.sent());
        b.append(",\"sentBytes\":").append(c.sentBytes());
        b.append(",\"delivered\":").append(c.delivered());
        b.append(",\"deliveredBytes\":").append(c.deliveredBytes());
        b.append(",\"dropped\":").append(c.dropped());
        b.append(",\"droppedBy\":{");
        boolean first = true;
        for (DropReason r : DropReason.values()) {
            if (c.dropped(r) != 0) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append(str(r.name())).append(':').append(c.dropped(r));
            }
        }
        b.append("},\"inFlight\":").append(c.inFlight());
        b.append(",\"inFlightBytes\":").append(c.inFlightBytes());
        b.append(",\"balanced\":").append(c.isBalanced()).append('}');
    }

    private static void sep(StringBuilder b, int i) {
        if (i > 0) {
            b.append(',');
        }
    }

    /** A JSON string; {@code <}, {@code >} and {@code &} are escaped too, so the JSON can sit inside a script element. */
    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
