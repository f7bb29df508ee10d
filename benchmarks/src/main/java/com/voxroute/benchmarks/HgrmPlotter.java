package com.voxroute.benchmarks;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws HdrHistogram percentile distributions ({@code .hgrm} files, values in microseconds) as one PNG with
 * several runs on one plot, in the style of HdrHistogram's plotter: x is {@code 1/(1-percentile)} on a log
 * axis labelled as percentiles (50%, 90%, 99%, 99.9%, ...), y is latency in microseconds on a log axis.
 *
 * <p>Command line: {@code HgrmPlotter OUT.png "TITLE" LABEL=FILE.hgrm [LABEL=FILE.hgrm ...]}.
 * Headless (sets {@code java.awt.headless}). Not thread-safe; call from one thread.
 */
public final class HgrmPlotter {

    private HgrmPlotter() {
    }

    /**
     * @param args {@code OUT.png TITLE LABEL=FILE.hgrm...}
     * @throws IOException when a file cannot be read or the PNG written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: HgrmPlotter OUT.png TITLE LABEL=FILE.hgrm [LABEL=FILE.hgrm ...]");
            System.exit(2);
        }
        Map<String, Path> series = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("HgrmPlotter: expected LABEL=FILE.hgrm, got " + args[i]);
                System.exit(2);
            }
            series.put(args[i].substring(0, eq), Path.of(args[i].substring(eq + 1)));
        }
        plot(Path.of(args[0]), args[1], series);
    }

    /**
     * One point of a percentile distribution.
     *
     * @param valueMicros latency at this percentile, us
     * @param percentile  in [0, 1)
     */
    record Point(double valueMicros, double percentile) {
    }

    /**
     * Parses an {@code .hgrm} percentile distribution (HdrHistogram's
     * {@code outputPercentileDistribution} text: {@code Value Percentile TotalCount 1/(1-Percentile)}).
     *
     * @param file the file
     * @return its points with percentile < 1 (the 100% line has an infinite x), in file order
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException when it holds no data line
     */
    static List<Point> readHgrm(Path file) throws IOException {
        List<Point> points = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("Value")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length < 3) {
                continue;
            }
            try {
                double value = Double.parseDouble(f[0]);
                double p = Double.parseDouble(f[1]);
                if (p < 1.0) {
                    points.add(new Point(value, p));
                }
            } catch (NumberFormatException notData) {
                // header or footer text of the .hgrm format, not a data line
            }
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no percentile data in " + file);
        }
        return points;
    }

    /**
     * Draws the distributions into one PNG (1200 x 700).
     *
     * @param png    output file (parent directories created)
     * @param title  chart title
     * @param series label to {@code .hgrm} file, in legend order
     * @throws IOException when a file cannot be read or the PNG written
     */
    public static void plot(Path png, String title, Map<String, Path> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, Path> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (Point p : readHgrm(e.getValue())) {
                s.add(1.0 / (1.0 - p.percentile()), Math.max(p.valueMicros(), 0.1));
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "percentile", "latency (us, log)", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("percentile");
        x.setBase(10);
        x.setNumberFormatOverride(new PercentileFormat());
        x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0));
        plot.setDomainAxis(x);
        LogAxis y = new LogAxis("latency (us, log)");
        y.setBase(10);
        y.setNumberFormatOverride(NumberFormat.getNumberInstance());
        plot.setRangeAxis(y);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        plot.setRenderer(renderer);
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 700);
    }

    /** Labels x = 1/(1-p) as the percentile p: 10 -> 90%, 100 -> 99%, 1000 -> 99.9%. */
    static final class PercentileFormat extends NumberFormat {
        @Override
        public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
            if (x <= 1.0) {
                return to.append("0%");
            }
            double p = 100.0 * (1.0 - 1.0 / x);
            String s = String.format(java.util.Locale.ROOT, "%.6f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
            return to.append(s).append('%');
        }

        @Override
        public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("labels only");
        }
    }
}
