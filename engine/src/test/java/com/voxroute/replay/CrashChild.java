package com.voxroute.replay;

import com.voxroute.intake.Ticket;
import com.voxroute.outbound.AssignmentListener;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link CrashRecoveryStressIT}: starts the pipeline on a data directory (which runs recovery),
 * prints {@code READY <assignedByRecovery> <routedTwice>}, then serves generated traffic until it is killed,
 * printing {@code ACK <ticketId>} (unbuffered) for every ticket once it is journaled (accepted).
 *
 * <p>Arguments: {@code DATA_DIR RULES_FILE SEED [exit]} ({@code exit}: stop after READY).
 */
public final class CrashChild {

    private CrashChild() {
    }

    /**
     * @param args data dir, rules file, seed, optional {@code exit}
     * @throws Exception on any failure (the parent sees the exit code)
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Path dir = Path.of(args[0]);
        Path rules = Path.of(args[1]);
        long seed = Long.parseLong(args[2]);
        Pipeline p = Pipeline.start(new PipelineConfig().dataDir(dir).blockSizeBytes(1 << 16).rulesFile(rules),
                new ReplayFixtures.KeywordClassifier("kw-1"), CapacityAwareRouter.fromYaml(rules));
        out.println("READY " + p.recovery().assigned() + " " + p.recovery().routedTwice());
        if (args.length > 3 && args[3].equals("exit")) {
            p.close();
            return;
        }
        p.addListener(new AssignmentListener() {
            @Override
            public void onAssignment(com.voxroute.outbound.Assignment a, Ticket t, Object attachment) {
            }

            @Override
            public void onAccepted(Ticket ticket, long intakeIndex, Object attachment) {
                out.println("ACK " + ticket.ticketId());
            }
        });
        Random random = new Random(seed);
        List<String> sent = new ArrayList<>();
        int n = 0;
        while (true) {
            for (Ticket t : ReplayFixtures.tickets("s" + seed + "-" + n + "-", 4, random.nextLong())) {
                if (p.offer(t, System.nanoTime(), null) >= 0) {
                    sent.add(t.ticketId());
                }
            }
            n++;
            if (!sent.isEmpty()) {
                String id = sent.remove(random.nextInt(sent.size()));
                p.tryOfferControl(new ControlEvent(ControlEvent.Type.RESOLVED, id, null, null, 0, null, 0), null);
            }
            if (n % 5 == 0) {
                p.tryOfferControl(ReplayFixtures.tick(), null);
            }
            // ~1,000-2,000 tickets/s: enough to be mid-write at any moment, little enough that 50 restarts (each
            // recovering the whole journal) stay within minutes
            LockSupport.parkNanos(1_000_000 + random.nextInt(4_000_000));
        }
    }
}
