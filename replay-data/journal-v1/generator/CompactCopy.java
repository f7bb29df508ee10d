import net.openhft.chronicle.queue.*;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.bytes.Bytes;
import java.nio.file.*;

public class CompactCopy {
    public static void main(String[] a) throws Exception {
        for (String q : new String[]{"intake", "assignments"}) {
            try (ChronicleQueue src = SingleChronicleQueueBuilder.binary(Path.of(a[0], q)).rollCycle(RollCycles.FAST_DAILY).readOnly(true).build();
                 ExcerptTailer t = src.createTailer();
                 ChronicleQueue dst = SingleChronicleQueueBuilder.binary(Path.of(a[1], q)).rollCycle(RollCycles.FAST_DAILY)
                         .blockSize(64 << 10).timeProvider(() -> 1764291600000L + 3_600_000L).build();
                 ExcerptAppender app = dst.createAppender()) {
                int n = 0;
                while (true) {
                    try (DocumentContext dc = t.readingDocument()) {
                        if (!dc.isPresent()) break;
                        Bytes<?> b = dc.wire().bytes();
                        byte[] rec = new byte[(int) b.readRemaining()];
                        b.read(rec);
                        try (DocumentContext w = app.writingDocument()) { w.wire().bytes().write(rec); }
                        if (app.lastIndexAppended() != dc.index()) throw new IllegalStateException("index differs");
                        n++;
                    }
                }
                System.out.println(q + ": " + n + " records copied");
            }
        }
    }
}
