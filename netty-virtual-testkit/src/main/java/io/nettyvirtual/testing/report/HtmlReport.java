package io.nettyvirtual.testing.report;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Link;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * Renders the report page: the counters table in HTML, the charts drawn by uPlot (from its webjar, inlined) from
 * the embedded JSON. After drawing, the page's script sets {@code data-charts-drawn} on the element
 * {@code nettyvirtual-status} to the number of charts whose canvas has a non-zero size (or {@code data-error} to
 * the error), which a headless browser test reads back.
 */
final class HtmlReport {
    static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    static final int CHARTS = 3;

    private HtmlReport() {}

    static String render(
            VirtualNetwork net, String title, String json, List<NetworkRecorder.Sample> samples, List<Link> links) {
        String version = uplotVersion();
        String js = resource(WEBJAR + version + "/dist/uPlot.iife.min.js");
        String css = resource(WEBJAR + version + "/dist/uPlot.min.css");
        StringBuilder b = new StringBuilder(js.length() + css.length() + json.length() + 8192);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(title))
                .append("</title>\n<style>\n")
                .append(css.replace("</", "<\\/"))
                .append('\n')
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}"
                        + "table{border-collapse:collapse;font-size:13px}"
                        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}"
                        + ".unbalanced{background:#fdd}.chart{margin-bottom:1.5em}\n")
                .append("</style>\n</head>\n<body>\n<h1>")
                .append(esc(title))
                .append("</h1>\n");
        NetworkRecorder.Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        b.append("<p id=\"summary\">")
                .append(samples.size())
                .append(" samples up to ")
                .append(last == null ? "0" : String.format("%.3f", last.nanos / 1e6))
                .append(" ms of virtual time. Goodput is per link direction (the network does not model flows)."
                        + " Charts need JavaScript (inlined, no network access).</p>\n");
        b.append("<div id=\"nettyvirtual-status\"></div>\n");
        b.append("<h2>Queue backlog per link (packets)</h2>\n<div class=\"chart\" id=\"chart-backlog\"></div>\n");
        b.append("<h2>Goodput per link direction (bit/s)</h2>\n<div class=\"chart\" id=\"chart-goodput\"></div>\n");
        b.append("<h2>Drops by reason (packets, cumulative)</h2>\n<div class=\"chart\" id=\"chart-drops\"></div>\n");
        b.append("<h2>Counters</h2>\n<table id=\"counters\">\n<tr><th>element</th><th>sent</th><th>delivered</th>"
                + "<th>dropped</th><th>by reason</th><th>in flight</th><th>sent bytes</th><th>delivered bytes</th>"
                + "</tr>\n");
        for (PacketCounters c : ReportJson.counterRows(net, links)) {
            b.append("<tr")
                    .append(c.isBalanced() ? "" : " class=\"unbalanced\"")
                    .append("><td>")
                    .append(esc(c.name()))
                    .append("</td><td>")
                    .append(c.sent())
                    .append("</td><td>")
                    .append(c.delivered())
                    .append("</td><td>")
                    .append(c.dropped())
                    .append("</td><td>");
            String sep = "";
            for (DropReason r : DropReason.values()) {
                if (c.dropped(r) != 0) {
                    b.append(sep).append(r.name().toLowerCase()).append(' ').append(c.dropped(r));
                    sep = ", ";
                }
            }
            b.append("</td><td>")
                    .append(c.inFlight())
                    .append("</td><td>")
                    .append(c.sentBytes())
                    .append("</td><td>")
                    .append(c.deliveredBytes())
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
        b.append("<script id=\"nettyvirtual-data\" type=\"application/json\">")
                .append(json)
                .append("</script>\n");
        b.append("<script>\n").append(js.replace("</script", "<\\/script")).append("\n</script>\n");
        b.append("<script>\n").append(DRAW).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    /** Draws the three charts from the embedded data; reports how many drew. */
    private static final String DRAW = String.join(
            "\n",
            "(function () {",
            "  var status = document.getElementById('nettyvirtual-status');",
            "  try {",
            "    var d = JSON.parse(document.getElementById('nettyvirtual-data').textContent);",
            "    var palette = ['#1f77b4','#d62728','#2ca02c','#ff7f0e','#9467bd','#8c564b','#e377c2','#7f7f7f',"
                    + "'#bcbd22','#17becf'];",
            "    // a sample shows the state after the events of its instant: it held since the previous sample's",
            "    // instant (align 1); a goodput sample covers the interval that ends at it (align -1)",
            "    function chart(id, unit, names, columns, align) {",
            "      var series = [{label: 'virtual ms'}];",
            "      for (var i = 0; i < names.length; i++) {",
            "        series.push({label: names[i], stroke: palette[i % palette.length], width: 1.5,"
                    + " spanGaps: false, paths: uPlot.paths.stepped({align: align})});",
            "      }",
            "      var opts = {width: Math.max(600, Math.min(1200, window.innerWidth - 60)), height: 280,",
            "        scales: {x: {time: false}}, series: series,",
            "        axes: [{label: 'virtual time (ms)'}, {label: unit, size: 90}]};",
            "      return new uPlot(opts, [d.times].concat(columns), document.getElementById(id));",
            "    }",
            "    var linkNames = d.links.map(function (l) { return l.name; });",
            "    var charts = [",
            "      chart('chart-backlog', 'packets', linkNames, d.links.map(function (l) { return l.backlogPackets; }), 1),",
            "      chart('chart-goodput', 'bit/s', linkNames,"
                    + " d.links.map(function (l) { return l.goodputBitsPerSecond; }), -1),",
            "      chart('chart-drops', 'packets', Object.keys(d.drops),"
                    + " Object.keys(d.drops).map(function (r) { return d.drops[r]; }), 1)",
            "    ];",
            "    var drawn = 0;",
            "    charts.forEach(function (u) {",
            "      var c = u.root.querySelector('canvas');",
            "      if (c && c.width > 0 && c.height > 0) { drawn++; }",
            "    });",
            "    status.setAttribute('data-charts-drawn', String(drawn));",
            "  } catch (e) {",
            "    status.setAttribute('data-error', String(e));",
            "    status.textContent = 'charts failed: ' + e;",
            "  }",
            "})();",
            "");

    static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the report needs uPlot's webjar (org.webjars.npm:uplot) on the class "
                    + "path: " + name + " not found");
        }
        return in;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '&':
                    b.append("&amp;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }
}
