package com.voxroute.classifier;

import com.voxroute.bench.BenchTicket;
import com.voxroute.bench.TicketShape;
import com.voxroute.benchmarks.BenchInputs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Question: how long does Lucene analysis of one ticket take (the classifier's {@link TicketAnalyzer}: words,
 * stems, character n-grams; SmartChinese words and Han n-grams), per input shape?
 *
 * <p>In package {@code com.voxroute.classifier} because {@link TermSink} is package-private. Each trial warms up
 * on all shapes first (a {@code MIXED} trial interleaves English, Chinese and long tickets), then measures one
 * shape, so the JIT has seen every code path, as in production. The sink folds every term into a checksum so
 * nothing is dead code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AnalysisBenchmark {

    /** Which tickets are measured: {@code ENGLISH}, {@code CHINESE}, {@code LONG} or {@code MIXED}. */
    @Param({"ENGLISH", "CHINESE", "LONG", "MIXED"})
    public String shape;

    private String[] texts;
    private int next;
    private TicketAnalyzer analyzer;
    private final ChecksumSink sink = new ChecksumSink();

    /** Folds terms into a checksum. */
    static final class ChecksumSink implements TermSink {
        long checksum;

        @Override
        public void term(char[] buffer, int length) {
            long h = checksum;
            for (int i = 0; i < length; i++) {
                h = 31 * h + buffer[i];
            }
            checksum = h;
        }
    }

    /** Loads inputs and warms the analyzer on every shape. */
    @Setup(Level.Trial)
    public void setUp() {
        var data = BenchInputs.dataSet();
        List<BenchTicket> measured = "MIXED".equals(shape) ? data.mixed(3_000) : data.tickets(TicketShape.valueOf(shape));
        texts = measured.stream().map(BenchTicket::text).toArray(String[]::new);
        analyzer = new TicketAnalyzer(AnalysisConfig.DEFAULT);
        for (BenchTicket t : data.mixed(3_000)) {
            analyzer.analyze(t.text(), sink);
        }
    }

    /** @return the running checksum of the terms */
    @Benchmark
    public long analyzeOne() {
        String text = texts[next];
        next = next + 1 == texts.length ? 0 : next + 1;
        analyzer.analyze(text, sink);
        return sink.checksum;
    }
}
