package com.voxroute.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Renders experiment results: JSON (the {@code bench pipeline --json} contract), Markdown tables (for
 * {@code docs/results/}) and {@code .hgrm} files (for the plots). Stateless; any thread.
 */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchReport() {
    }

    /**
     * @param s a summary
     * @return {@code {p50, p90, p99, p999, max}} in microseconds (plus {@code p9999}, {@code count})
     */
    public static ObjectNode latencyJson(LatencySummary s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("p50", s.p50());
        n.put("p90", s.p90());
        n.put("p99", s.p99());
        n.put("p999", s.p999());
        n.put("max", s.max());
        n.put("p9999", s.p9999());
        n.put("count", s.count());
        return n;
    }

    /**
     * @param m a measurement
     * @return {@code {latencyMicros, achievedRate, ...}} with per-stage latencies under {@code stagesMicros}
     */
    public static ObjectNode measuredJson(Measured m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("pipeline", m.pipeline());
        n.put("configuration", m.description());
        n.set("latencyMicros", latencyJson(m.endToEnd()));
        n.put("achievedRate", Math.round(m.achievedRate() * 10) / 10.0);
        n.put("offeredRate", m.offeredRate());
        n.put("sent", m.sent());
        n.put("notSent", m.notSent());
        n.put("completed", m.completed());
        n.put("backPressured", m.backPressured());
        ObjectNode stages = n.putObject("stagesMicros");
        for (LatencyRecorder.Stage s : LatencyRecorder.Stage.values()) {
            stages.set(s.name().toLowerCase(Locale.ROOT), latencyJson(m.stage(s)));
        }
        return n;
    }

    /**
     * @param c       a comparison
     * @param seconds measured seconds per pipeline
     * @param seed    input seed
     * @return the {@code bench pipeline --json} object: {@code voxroute}, {@code baseline}, and ratios
     *         (baseline / voxroute: > 1 means VoxRoute is faster)
     */
    public static ObjectNode comparisonJson(Experiments.Comparison c, double seconds, long seed) {
        ObjectNode n = JSON.createObjectNode();
        n.put("rate", c.voxroute().offeredRate());
        n.put("seconds", seconds);
        n.put("rounds", c.rounds());
        n.put("seed", seed);
        n.put("latencyOrigin", "intended send time (open loop, no coordinated omission)");
        n.set("voxroute", measuredJson(c.voxroute()));
        n.set("baseline", measuredJson(c.baseline()));
        ObjectNode ratio = n.putObject("baselineOverVoxroute");
        LatencySummary v = c.voxroute().endToEnd();
        LatencySummary b = c.baseline().endToEnd();
        ratio.put("p50", ratio(b.p50(), v.p50()));
        ratio.put("p99", ratio(b.p99(), v.p99()));
        ratio.put("p999", ratio(b.p999(), v.p999()));
        ratio.put("max", ratio(b.max(), v.max()));
        return n;
    }

    private static double ratio(double a, double b) {
        return b > 0 ? Math.round(a / b * 100) / 100.0 : 0;
    }

    /**
     * @param node a JSON node
     * @return it as indented text
     */
    public static String toJson(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("JSON rendering failed", e);
        }
    }

    /**
     * @return the 1, 5 and 15 minute load averages of this machine ({@code /proc/loadavg}, e.g.
     *         {@code "1.20 0.80 0.50"}), or {@code "unknown (reason)"} where there is none; quoted next to every
     *         figure measured on a shared machine
     */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** @return the header of {@link #row} tables */
    public static String header() {
        return "| pipeline | configuration | offered/s | achieved/s | p50 us | p90 us | p99 us | p99.9 us | max us | sent | not sent |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    /**
     * @param label first column
     * @param m     the measurement
     * @return one Markdown table row
     */
    public static String row(String label, Measured m) {
        LatencySummary s = m.endToEnd();
        return String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d |%n",
                label, m.description(), m.offeredRate(), m.achievedRate(), s.p50(), s.p90(), s.p99(), s.p999(),
                s.max(), m.sent(), m.notSent());
    }

    /**
     * @param m a measurement
     * @return a Markdown table of its per-stage latencies (each from the intended send time)
     */
    public static String stagesTable(Measured m) {
        StringBuilder b = new StringBuilder("| stage done (from intended send) | p50 us | p99 us | p99.9 us | max us |\n|---|---:|---:|---:|---:|\n");
        for (LatencyRecorder.Stage st : LatencyRecorder.Stage.values()) {
            LatencySummary s = m.stage(st);
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n",
                    st.name().toLowerCase(Locale.ROOT), s.p50(), s.p99(), s.p999(), s.max()));
        }
        return b.toString();
    }

    /**
     * Writes the end-to-end histogram as {@code dir/name.hgrm} (microseconds).
     *
     * @param dir  directory (created)
     * @param name file name without extension
     * @param m    the measurement
     * @return the file
     * @throws IOException when it cannot be written
     */
    public static Path writeHgrm(Path dir, String name, Measured m) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".hgrm");
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
            LatencyRecorder.writeHgrm(m.latency().endToEnd(), out);
        }
        return file;
    }

    /**
     * @param sweeps sweeps of several pipelines
     * @return a Markdown table: one row per step, then each pipeline's saturation and within-limit rates
     */
    public static String sweepTable(List<Experiments.Sweep> sweeps) {
        StringBuilder b = new StringBuilder("| pipeline | offered/s | achieved/s | p50 us | p99 us | p99.9 us | max us | not sent | kept up | p99 within limit |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Experiments.Sweep sw : sweeps) {
            for (Experiments.SweepStep step : sw.steps()) {
                LatencySummary s = step.measured().endToEnd();
                b.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %s | %s |%n",
                        sw.pipeline(), step.measured().offeredRate(), step.measured().achievedRate(), s.p50(), s.p99(),
                        s.p999(), s.max(), step.measured().notSent(), step.keptUp() ? "yes" : "**no**",
                        step.withinLimit() ? "yes" : "**no**"));
            }
        }
        b.append('\n');
        for (Experiments.Sweep sw : sweeps) {
            b.append(String.format(Locale.ROOT, "- **%s**: saturation (highest rate kept up: >= %.0f%% achieved, all"
                            + " offered) **%.0f tickets/s**; highest rate with p99 <= %.0f us: **%.0f tickets/s**%n",
                    sw.pipeline(), Experiments.KEEP_UP_SHARE * 100, sw.saturationRate(), sw.p99LimitMicros(),
                    sw.withinLimitRate()));
        }
        return b.toString();
    }

    /**
     * The thread-layout sweep as a Markdown table, best first ({@link Experiments#ranked}): per configuration its
     * stage threads, CPU used while idle, saturation and, per rate, end-to-end p50 / p99 in milliseconds and the CPU it used (cores,
     * whole process); a rate it fell behind at shows the achieved rate; a rate not run is "-". Then one line
     * naming the winner.
     *
     * @param results sweep results (any order)
     * @param rates   the rates offered, ascending
     * @return the table and the winner line
     */
    public static String layoutTable(List<Experiments.LayoutResult> results, List<Double> rates) {
        StringBuilder b = new StringBuilder("| rank | configuration | stage threads | idle CPU cores | saturation/s |");
        StringBuilder rule = new StringBuilder("|---:|---|---:|---:|---:|");
        for (double r : rates) {
            b.append(String.format(Locale.ROOT, " %.0f/s: p50 / p99 ms, CPU cores |", r));
            rule.append("---|");
        }
        b.append('\n').append(rule).append('\n');
        List<Experiments.LayoutResult> ranked = Experiments.ranked(results);
        int rank = 0;
        for (Experiments.LayoutResult res : ranked) {
            b.append(String.format(Locale.ROOT, "| %d | %s | %d | %.2f | %.0f |", ++rank, res.label(),
                    res.handlerThreads(), res.idleCpuCores(), res.saturationRate()));
            for (double r : rates) {
                Experiments.LayoutStep step = res.at(r);
                if (step == null) {
                    b.append(" - |");
                    continue;
                }
                LatencySummary l = step.measured().endToEnd();
                String cell = String.format(Locale.ROOT, "%s / %s, %.2f", ms(l.p50()), ms(l.p99()), step.cpuCores());
                b.append(' ').append(step.keptUp() ? cell : String.format(Locale.ROOT, "**behind** (%.0f/s): %s",
                        step.measured().achievedRate(), cell)).append(" |");
            }
            b.append('\n');
        }
        ranked.stream().filter(r -> !r.baseline()).findFirst().ifPresent(w -> b.append(String.format(Locale.ROOT,
                "%nFastest of VoxRoute's layouts (highest saturation, then lowest p99 there): **%s**, %.0f tickets/s"
                        + " kept up, p99 %s ms, idle CPU %.2f cores.%n", w.label(), w.saturationRate(),
                ms(w.p99AtSaturationMicros()), w.idleCpuCores())));
        ranked.stream().filter(r -> !r.baseline() && r.idleCpuCores() <= Experiments.IDLE_CPU_LIMIT_CORES).findFirst()
                .ifPresent(w -> b.append(String.format(Locale.ROOT, "%nFastest with idle CPU <= %.2f cores (DESIGN.md:"
                                + " the default must keep idle CPU low on 2 cores): **%s**, %.0f tickets/s kept up, p99 %s ms,"
                                + " idle CPU %.2f cores.%n", Experiments.IDLE_CPU_LIMIT_CORES, w.label(),
                        w.saturationRate(), ms(w.p99AtSaturationMicros()), w.idleCpuCores())));
        return b.toString();
    }

    private static String ms(double micros) {
        if (Double.isInfinite(micros)) {
            return "-";
        }
        double ms = micros / 1000;
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f" : ms >= 10 ? "%.1f" : "%.2f", ms);
    }
}
