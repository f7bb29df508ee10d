package com.voxroute.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a {@link WhatIfReplay.Report} as {@code OUT.json} and {@code OUT.html}. The HTML page is self-contained:
 * inline CSS and inline SVG charts, no script, no external resource, so it can be mailed or attached to a ticket.
 *
 * <p>Threading: stateless, any thread.
 */
public final class WhatIfReportWriter {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private WhatIfReportWriter() {
    }

    /**
     * @param report  the report
     * @param context what was compared (data dir, selection, model and rules given), shown on top
     * @param out     output path without extension, or ending in {@code .json} / {@code .html}
     * @return the two files written (JSON, HTML)
     * @throws IOException when a file cannot be written
     */
    public static List<Path> write(WhatIfReplay.Report report, Map<String, String> context, Path out)
            throws IOException {
        List<Path> files = files(out);
        Path json = files.get(0);
        Path html = files.get(1);
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("context", context);
        root.put("report", report);
        try (java.io.OutputStream jsonOut = Files.newOutputStream(json)) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonOut, root);
        }
        Files.writeString(html, html(report, context), StandardCharsets.UTF_8);
        return List.of(json, html);
    }

    /**
     * @param out the {@code --report} path, with or without {@code .json}/{@code .html}
     * @return the two files {@link #write} writes: {@code OUT.json}, {@code OUT.html}
     */
    public static List<Path> files(Path out) {
        String base = out.toString().replaceAll("\\.(json|html)$", "");
        return List.of(Path.of(base + ".json"), Path.of(base + ".html"));
    }

    static String html(WhatIfReplay.Report r, Map<String, String> context) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>VoxRoute what-if report</title>")
                .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;")
                .append("text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}")
                .append(".up{color:#2a7d2a}.down{color:#b02a2a}small{color:#666}</style></head><body>");
        h.append("<h1>What-if replay</h1><table>");
        context.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>"));
        h.append("<tr><th>time range</th><td>").append(r.tickets() == 0 ? "-" : Instant.ofEpochMilli(r.firstEpochMillis())
                + " .. " + Instant.ofEpochMilli(r.lastEpochMillis())).append("</td></tr></table>");

        h.append("<h2>Summary</h2><table><tr><th></th><th>recorded</th><th>candidate</th></tr>");
        row(h, "model", r.recorded().modelVersion(), r.candidate().modelVersion());
        row(h, "rules", r.recorded().rulesVersion(), r.candidate().rulesVersion());
        row(h, "tickets", String.valueOf(r.tickets()), String.valueOf(r.tickets()));
        row(h, "category accuracy (" + r.labelled() + " labelled)", pct(r.recorded().categoryAccuracy()),
                pct(r.candidate().categoryAccuracy()));
        row(h, "department accuracy", pct(r.recorded().departmentAccuracy()), pct(r.candidate().departmentAccuracy()));
        row(h, "triage rate", pct(r.recorded().triageRate()), pct(r.candidate().triageRate()));
        row(h, "waited in a backlog (SLA at risk)", String.valueOf(r.recorded().waitingInBacklog()),
                String.valueOf(r.candidate().waitingInBacklog()));
        h.append("</table><p>Department changed for <b>").append(r.departmentChanged()).append("</b> of ")
                .append(r.tickets()).append(" tickets (").append(pct(r.tickets() == 0 ? null
                        : (double) r.departmentChanged() / r.tickets())).append("); any decision field changed for ")
                .append(r.decisionChanged()).append("; SLA deadline moved earlier for ").append(r.slaEarlier())
                .append(".</p>");

        h.append("<h2>Decisions changed (from &rarr; to)</h2>");
        if (r.changes().isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<table><tr><th>from &rarr; to</th><th>tickets</th><th>examples</th></tr>");
            r.changes().forEach((k, n) -> {
                h.append("<tr><td>").append(esc(k)).append("</td><td class=n>").append(n).append("</td><td>");
                for (WhatIfReplay.Example e : r.examples().getOrDefault(k, List.of())) {
                    h.append("<div><b>").append(esc(e.ticketId())).append("</b> ").append(esc(e.text()))
                            .append("<br><small>label ").append(esc(String.valueOf(e.label()))).append("; recorded ")
                            .append(esc(e.recordedCategory())).append(String.format(Locale.ROOT, " %.2f", e.recordedConfidence()))
                            .append(" (").append(esc(e.recordedRule())).append("), candidate ")
                            .append(esc(e.candidateCategory())).append(String.format(Locale.ROOT, " %.2f", e.candidateConfidence()))
                            .append(" (").append(esc(e.candidateRule())).append(")</small></div>");
                }
                h.append("</td></tr>");
            });
            h.append("</table>");
        }

        h.append("<h2>Load by department</h2><table><tr><th>department</th><th>recorded</th><th>candidate</th>")
                .append("<th>waited (rec.)</th><th>waited (cand.)</th></tr>");
        TreeSet<String> depts = new TreeSet<>(r.recorded().byDepartment().keySet());
        depts.addAll(r.candidate().byDepartment().keySet());
        for (String d : depts) {
            h.append("<tr><td>").append(esc(d)).append("</td><td class=n>")
                    .append(r.recorded().byDepartment().getOrDefault(d, 0L)).append("</td><td class=n>")
                    .append(r.candidate().byDepartment().getOrDefault(d, 0L)).append("</td><td class=n>")
                    .append(r.recorded().waitingByDepartment().getOrDefault(d, 0L)).append("</td><td class=n>")
                    .append(r.candidate().waitingByDepartment().getOrDefault(d, 0L)).append("</td></tr>");
        }
        h.append("</table>");

        h.append("<h2>Department load over time</h2><p><small>assignments per ").append(duration(r.bucketMillis()))
                .append(" bucket; solid = recorded, dashed = candidate</small></p>");
        chart(h, r, new ArrayList<>(depts));
        h.append("<p><small>Generated by <code>voxroute replay --mode what-if</code>.</small></p></body></html>\n");
        return h.toString();
    }

    private static void chart(StringBuilder h, WhatIfReplay.Report r, List<String> depts) {
        TreeMap<Long, Map<String, long[]>> byBucket = new TreeMap<>();
        long max = 1;
        for (WhatIfReplay.LoadPoint p : r.load()) {
            byBucket.computeIfAbsent(p.bucketStartEpochMillis(), k -> new TreeMap<>())
                    .put(p.department(), new long[]{p.recorded(), p.candidate()});
            max = Math.max(max, Math.max(p.recorded(), p.candidate()));
        }
        int w = 900;
        int ht = 300;
        int left = 40;
        int n = Math.max(1, byBucket.size() - 1);
        h.append("<svg width=\"").append(w + 200).append("\" height=\"").append(ht + 40)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">");
        h.append("<line x1=\"").append(left).append("\" y1=\"").append(ht).append("\" x2=\"").append(w)
                .append("\" y2=\"").append(ht).append("\" stroke=\"#999\"/><text x=\"2\" y=\"12\">").append(max)
                .append("</text><text x=\"2\" y=\"").append(ht).append("\">0</text>");
        List<Long> buckets = new ArrayList<>(byBucket.keySet());
        if (!buckets.isEmpty()) {
            h.append("<text x=\"").append(left).append("\" y=\"").append(ht + 15).append("\">")
                    .append(Instant.ofEpochMilli(buckets.get(0))).append("</text><text x=\"").append(w - 150)
                    .append("\" y=\"").append(ht + 15).append("\">").append(Instant.ofEpochMilli(buckets.get(buckets.size() - 1)))
                    .append("</text>");
        }
        for (int di = 0; di < depts.size(); di++) {
            String colour = COLOURS[di % COLOURS.length];
            for (int side = 0; side < 2; side++) {
                StringBuilder pts = new StringBuilder();
                for (int i = 0; i < buckets.size(); i++) {
                    long[] v = byBucket.get(buckets.get(i)).get(depts.get(di));
                    long y = v == null ? 0 : v[side];
                    double x = left + (w - left) * (buckets.size() == 1 ? 0.5 : (double) i / n);
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, ht - (double) y * (ht - 10) / max));
                }
                h.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\"")
                        .append(side == 1 ? " stroke-dasharray=\"5,3\"" : "").append(" points=\"").append(pts)
                        .append("\"/>");
            }
            h.append("<rect x=\"").append(w + 10).append("\" y=\"").append(10 + di * 16)
                    .append("\" width=\"10\" height=\"10\" fill=\"").append(colour).append("\"/><text x=\"")
                    .append(w + 25).append("\" y=\"").append(19 + di * 16).append("\">").append(esc(depts.get(di)))
                    .append("</text>");
        }
        h.append("</svg>");
    }

    private static void row(StringBuilder h, String name, String a, String b) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(a)).append("</td><td>").append(esc(b))
                .append("</td></tr>");
    }

    private static String pct(Double x) {
        return x == null ? "n/a" : String.format(Locale.ROOT, "%.1f %%", 100 * x);
    }

    private static String duration(long millis) {
        if (millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "-day";
        }
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "-hour";
        }
        return millis / 60_000L + "-minute";
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
