package com.voxroute.cli;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.journal.EngineStarted;
import com.voxroute.journal.Journal;
import com.voxroute.journal.JournalConfig;
import com.voxroute.replay.JournalProvenance;
import com.voxroute.replay.Recovery;
import com.voxroute.routing.Router;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code voxroute recover --data-dir DIR [--model DIR --rules FILE]}: the recovery that {@code run} and {@code serve}
 * do at start, on its own: rebuilds routing state from the journal and assigns, once, every ticket journaled but
 * never assigned. Without {@code --model}/{@code --rules} it uses the model and rules the journal last recorded.
 * Prints what it did. Exit 0 ok, 2 usage, 3 failure (e.g. a ticket assigned twice was found).
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Rebuilds routing state from the journal and assigns every journaled ticket that has no assignment.")
public final class RecoverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "journal directory")
    Path dataDir;

    @Option(names = "--model", paramLabel = "MODEL_DIR",
            description = "model for never-assigned tickets (default: the journal's last recorded model)")
    Path model;

    @Option(names = "--rules", paramLabel = "RULES.yaml",
            description = "rules in force from now on (default: the journal's last recorded rules)")
    Path rules;

    /** Counts journaled tickets that have no ROUTED assignment. */
    private static long unassigned(Journal journal) {
        long[] n = {0};
        new com.voxroute.replay.JournalWalk(journal).run(new com.voxroute.replay.JournalWalk.Visitor() {
            @Override
            public void onTicket(long index, com.voxroute.journal.TicketReceived r,
                                 com.voxroute.replay.JournalWalk.Recorded routed) {
                if (routed == null) {
                    n[0]++;
                }
            }

            @Override
            public void onControl(long index, com.voxroute.routing.ControlEvent e,
                                  List<com.voxroute.replay.JournalWalk.Recorded> dispatched) {
            }
        });
        return n[0];
    }

    /** Stands in when every ticket is assigned: recovery then only re-routes with recorded inputs. */
    private record NoModel(String modelVersion) implements TicketClassifier {
        @Override
        public com.voxroute.classifier.Classification classify(String text) {
            throw new IllegalStateException("no model: every ticket was expected to be assigned already");
        }

        @Override
        public List<String> categories() {
            return List.of();
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dataDir.resolve(Journal.INTAKE))) {
            throw new UsageException("no intake journal in " + dataDir);
        }
        PrintWriter out = spec.commandLine().getOut();
        // recovery appends (assignments, dispatches, ENGINE_STARTED): one writer per journal, as for run and serve,
        // or it could assign a ticket that the live pipeline on this journal assigns too
        try (com.voxroute.journal.WriterLock lock = com.voxroute.journal.WriterLock.acquire(dataDir);
             Journal journal = Journal.open(new JournalConfig().dataDir(dataDir))) {
            List<EngineStarted> starts = JournalProvenance.starts(journal);
            EngineStarted last = starts.isEmpty() ? null : starts.get(starts.size() - 1);
            TicketClassifier classifier;
            if (model != null) {
                classifier = Components.loadModel(model);
            } else if (last != null && last.modelDigest() != null) {
                classifier = ReplayInputs.recordedModel(dataDir, last);
            } else if (unassigned(journal) == 0) {
                classifier = new NoModel(last != null ? last.modelVersion() : "none");
            } else {
                throw new UsageException("the journal has tickets without an assignment and records no model to"
                        + " classify them: give --model DIR");
            }
            Router router = rules != null ? Components.loadRules(rules) : ReplayInputs.initialRouter(null, starts);
            Recovery.StartInfo start = model != null || rules != null
                    ? new Recovery.StartInfo("voxroute 0.1.0", journal.config().durability(), model, rules) : null;
            Recovery.Report r = Recovery.recover(journal, classifier, router, ReplayInputs.TRIAGE, start, null);
            out.printf("recover: %,d intake records, %,d tickets: %,d re-routed from their assignments (state"
                            + " rebuilt), %,d assigned now, %,d dispatch records added, %,d control events re-applied"
                            + " in %.2f s%n", r.intakeRecords(), r.tickets(), r.replayed(), r.assigned(),
                    r.dispatched(), r.controlEvents(), r.elapsedNanos() / 1e9);
            if (!r.refusedControls().isEmpty()) {
                // by the router's typed code, the one the HTTP API answered when they were submitted
                java.util.Map<String, Integer> byCode = new java.util.TreeMap<>();
                r.refusedControls().values().forEach(f -> byCode.merge(f.code().name(), 1, Integer::sum));
                StringBuilder codes = new StringBuilder();
                byCode.forEach((code, n) -> codes.append(codes.isEmpty() ? "" : ", ").append(code).append(' ').append(n));
                out.printf("recover: %,d control events were refused by the router (journaled, changed nothing): %s%n",
                        r.refusedControls().size(), codes);
            }
            if (r.orphanAssignments() > 0) {
                out.printf("recover: %,d assignments name an intake record no longer in the journal (retention)%n",
                        r.orphanAssignments());
            }
            out.flush();
            if (r.routedTwice() > 0) {
                spec.commandLine().getErr().println("recover: " + r.routedTwice()
                        + " tickets have two ROUTED assignments in the journal");
                return ExitCodes.FAILURE;
            }
            return ExitCodes.OK;
        }
    }
}
