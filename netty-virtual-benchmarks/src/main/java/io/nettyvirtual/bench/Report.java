package io.nettyvirtual.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The suite's Markdown report: the sections' tables and prose, the notes, and the goal verdicts listed at the end;
 * plus the number formats every table shares.
 */
final class Report {
    private final StringBuilder md = new StringBuilder();
    private final List<String> verdicts = new ArrayList<>();

    /** Appends {@code text} as it is. */
    Report text(String text) {
        md.append(text);
        return this;
    }

    /** Appends a formatted line ({@link Locale#ROOT}) and a line break. */
    Report line(String format, Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
        return this;
    }

    /** Judges {@code value} against {@code goal}, lists the verdict, and returns the table cell for it. */
    String judge(Goal goal, double value, String detail) {
        verdicts.add(goal.verdict(value, detail));
        return goal.met(value) ? "met" : "**missed**";
    }

    /** Lists a goal that could not be judged, with the reason. */
    String missed(Goal goal, String reason) {
        verdicts.add(goal.what() + ": **MISSED** (" + reason + ")");
        return "**missed**";
    }

    /** Lists a goal that was not judged in this run (a comparator missing on this machine), with the reason. */
    String notJudged(Goal goal, String reason) {
        verdicts.add(goal.what() + ": not judged (" + reason + ")");
        return "n/a";
    }

    /** The whole report, the goals section last. */
    String markdown() {
        StringBuilder all = new StringBuilder(md).append("## Goals\n\n");
        for (String v : verdicts) {
            all.append("- ").append(v).append('\n');
        }
        return all.toString();
    }

    // ---------------------------------------------------------------- formats

    static String si(double x) {
        if (Double.isNaN(x)) {
            return "n/a";
        }
        if (x >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", x / 1e6);
        }
        if (x >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", x / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", x);
    }

    static String ms(double x) {
        return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%,.0f ms", x);
    }

    static String ratio(double x) {
        return Double.isNaN(x) || Double.isInfinite(x)
                ? "n/a"
                : String.format(Locale.ROOT, x < 10 ? "%.2fx" : "%.1fx", x);
    }

    /** The 1-minute load average: above the CPU count, absolute figures drop (same-run ratios hold better). */
    static String loadAverage() {
        try {
            return new String(Files.readAllBytes(Paths.get("/proc/loadavg")), StandardCharsets.US_ASCII).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l = in.readLine();
                p.waitFor();
                return l == null ? "?" : l.trim();
            }
        } catch (Exception e) {
            return "?";
        }
    }

    void write(Path out) throws java.io.IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, markdown().getBytes(StandardCharsets.UTF_8));
    }
}
