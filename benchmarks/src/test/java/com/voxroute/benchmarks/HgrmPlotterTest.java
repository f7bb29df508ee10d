package com.voxroute.benchmarks;

import com.voxroute.bench.LatencyRecorder;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HgrmPlotterTest {

    private static Path writeHgrm(Path dir, String name, long seed, long scaleNanos) throws IOException {
        Random random = new Random(seed);
        Histogram h = LatencyRecorder.newHistogram();
        for (int i = 0; i < 10_000; i++) {
            h.recordValue(scaleNanos + (long) (random.nextDouble() * random.nextDouble() * 100 * scaleNanos));
        }
        Path file = dir.resolve(name + ".hgrm");
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
            LatencyRecorder.writeHgrm(h, out);
        }
        return file;
    }

    @Test
    void readsTheHgrmPercentilesWrittenByTheRecorderInMicroseconds(@TempDir Path dir) throws IOException {
        Path file = writeHgrm(dir, "a", 7, 10_000); // 10 us .. 1 ms

        List<HgrmPlotter.Point> points = HgrmPlotter.readHgrm(file);

        assertThat(points).isNotEmpty();
        assertThat(points.get(0).percentile()).isEqualTo(0.0);
        assertThat(points.get(0).valueMicros()).isCloseTo(10.0, within(0.1));
        assertThat(points).allSatisfy(p -> assertThat(p.percentile()).isLessThan(1.0));
        assertThat(points.get(points.size() - 1).valueMicros()).isBetween(100.0, 1_010.0);
    }

    @Test
    void drawsSeveralRunsIntoOnePng(@TempDir Path dir) throws IOException {
        Map<String, Path> series = new LinkedHashMap<>();
        series.put("voxroute", writeHgrm(dir, "v", 1, 5_000));
        series.put("baseline", writeHgrm(dir, "b", 2, 50_000));
        Path png = dir.resolve("out/plot.png");

        HgrmPlotter.plot(png, "test", series);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(700);
    }

    @Test
    void labelsTheLogAxisAsPercentiles() {
        HgrmPlotter.PercentileFormat f = new HgrmPlotter.PercentileFormat();
        assertThat(f.format(10.0)).isEqualTo("90%");
        assertThat(f.format(1000.0)).isEqualTo("99.9%");
        assertThat(f.format(2.0)).isEqualTo("50%");
    }
}
