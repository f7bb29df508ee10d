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

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dataDir.resolve(Journal.INTAKE))) {
            throw new UsageException("no intake journal in " + dataDir);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Journal journal = Journal.open(new JournalConfig().dataDir(dataDir))) {
            List<EngineStarted> starts = JournalProvenance.starts(journal);
            EngineStarted last = starts.isEmpty() ? null : starts.get(starts.size() - 1);
            TicketClassifier classifier;
            if (model != null) {
                classifier = Components.loadModel(model);
            } else if (last != null) {
                classifier = ReplayInputs.recordedModel(dataDir, last);
            } else {
                throw new UsageException("the journal records no model: give --model DIR");
            }
            Router router = rules != null ? Components.loadRules(rules) : ReplayInputs.initialRouter(null, starts);
            Recovery.StartInfo start = model != null || rules != null
                    ? new Recovery.StartInfo("voxroute 0.1.0", journal.config().durability(), model, rules) : null;
            Recovery.Report r = Recovery.recover(journal, classifier, router, ReplayInputs.TRIAGE, start, null);
            out.printf("recover: %,d intake records, %,d tickets: %,d re-routed from their assignments (state"
                            + " rebuilt), %,d assigned now, %,d dispatch records added, %,d control events re-applied"
                            + " in %.2f s%n", r.intakeRecords(), r.tickets(), r.replayed(), r.assigned(),
                    r.dispatched(), r.controlEvents(), r.elapsedNanos() / 1e9);
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
