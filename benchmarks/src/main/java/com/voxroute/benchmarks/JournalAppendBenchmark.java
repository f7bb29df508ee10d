package com.voxroute.benchmarks;

import com.voxroute.bench.BenchTicket;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Question: what does appending one intake record to a Chronicle Queue cost, with page-cache durability
 * (survives a JVM crash) versus an msync per record (survives a power cut)?
 *
 * <p>Chronicle Queue is used directly (no pipeline): one appender, one document per ticket holding the
 * intake fields (version, sequence, received-at, id, channel, tier, language, text). Inputs are real
 * tickets, English, Chinese and long interleaved, so record sizes range from ~20 B to ~40 KB. The queue
 * lives in {@code java.io.tmpdir} (set {@code -Djava.io.tmpdir} to measure another disk).
 *
 * <p>Run: {@code java @benchmarks/target/classes/voxroute-jvm.options -jar benchmarks/target/benchmarks.jar
 * JournalAppendBenchmark} (JMH forks inherit the flags).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JournalAppendBenchmark {

    /** {@code PAGE_CACHE}: write to the mapped file only; {@code SYNC}: msync the record after appending. */
    @Param({"PAGE_CACHE", "SYNC"})
    public String durability;

    private Path dir;
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private BenchTicket[] tickets;
    private boolean sync;
    private long sequence;

    /** Opens a fresh queue and loads the inputs. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        List<BenchTicket> mixed = BenchInputs.mixed(4096);
        tickets = mixed.toArray(new BenchTicket[0]);
        dir = Files.createTempDirectory("voxroute-journal-bench");
        queue = SingleChronicleQueueBuilder.binary(dir).build();
        appender = queue.createAppender();
        sync = "SYNC".equals(durability);
    }

    /** Closes and deletes the queue. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        queue.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** @return the index of the appended record */
    @Benchmark
    public long append() {
        BenchTicket t = tickets[(int) (sequence & (tickets.length - 1))];
        long index;
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeInt(1);
            b.writeLong(sequence);
            b.writeLong(1_764_460_800_000L + sequence);
            b.writeUtf8(t.id());
            b.writeUtf8("web");
            b.writeUtf8("standard");
            b.writeUtf8(t.lang());
            b.writeUtf8(t.text());
            index = dc.index();
        }
        if (sync) {
            appender.sync();
        }
        sequence++;
        return index;
    }
}
