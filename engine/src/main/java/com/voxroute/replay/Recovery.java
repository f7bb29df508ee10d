package com.voxroute.replay;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.journal.AssignmentEncoder;
import com.voxroute.journal.ControlEventEncoder;
import com.voxroute.journal.Durability;
import com.voxroute.journal.EngineStarted;
import com.voxroute.journal.EngineStartedEncoder;
import com.voxroute.journal.Journal;
import com.voxroute.journal.TicketReceived;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.Refusal;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingDecision;
import net.openhft.chronicle.queue.ExcerptAppender;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovery at start (and {@code voxroute recover}): rebuilds routing state from the journal and assigns, exactly
 * once, every ticket that was journaled (accepted) but never assigned, e.g. because the process was killed
 * between the two appends.
 *
 * <p>How: a {@link JournalWalk} replays the whole {@code intake} journal, in order, into the router the engine
 * will run with. A ticket that has a ROUTED record is routed again with the classification inputs recorded in
 * that record (no classifier call: the state after it is the state the live router had) and a control event
 * (including RULES_RELOADED) is applied again; the rebuild starts under the rules of the journal's first
 * {@code ENGINE_STARTED} record (their full text is in it). A ticket without a ROUTED record is classified and routed at
 * its place in the sequence and its assignment appended; a control event (or rules switch) whose DISPATCHED
 * records are missing or incomplete gets the missing ones appended. Running recovery twice appends nothing the
 * second time: it is idempotent, also when killed half-way.
 *
 * <p>Then, when {@code start} is given: when the rules given differ from the journal's last ones, it journals a
 * RULES_RELOADED control event with their text and applies it (DISPATCHED records for what it moved); and it
 * appends an {@code ENGINE_STARTED} record to the {@code engine} queue naming the model (digest, copied into
 * {@link ModelStore}) and the rules (full text) in force from now on.
 *
 * <p>Cost: linear in the journal; see {@code docs/results/replay.md} for the measured rebuild time of 1 M
 * tickets. A retention window ({@code --retain-days}) bounds it.
 *
 * <p>Threading: the calling thread, before the pipeline's stage threads start; it owns the router meanwhile.
 */
public final class Recovery {

    /**
     * What is in force from this start on.
     *
     * @param engineVersion the build
     * @param durability    the durability setting
     * @param modelDir      the classifier's model directory, or {@code null} when unknown
     * @param rulesFile     the router's rules file, or {@code null} when unknown
     */
    public record StartInfo(String engineVersion, Durability durability, Path modelDir, Path rulesFile) {
    }

    /** Receives the id and content hash of every journaled ticket, in journal order (duplicate detection). */
    @FunctionalInterface
    public interface TicketSink {
        /**
         * @param ticketId    the id
         * @param contentHash its content hash as journaled
         */
        void onTicket(String ticketId, long contentHash);
    }

    /**
     * What recovery did.
     *
     * @param intakeRecords       intake records read
     * @param tickets             tickets in the journal
     * @param replayed            tickets re-routed from their recorded assignment (state rebuild)
     * @param assigned            tickets that had no assignment and were assigned now
     * @param dispatched          DISPATCHED records appended now (missing before)
     * @param controlEvents       control events re-applied
     * @param routedTwice         tickets found with two ROUTED records (a bug if ever > 0)
     * @param orphanAssignments   ROUTED records with no ticket in intake (e.g. intake cycle deleted by retention)
     * @param engineStartedIndex  index of the ENGINE_STARTED record appended, or -1
     * @param elapsedNanos        wall time of the whole recovery
     * @param refusedControls     the control events the router refused (journaled, changed nothing), by intake
     *                            index in journal order, each with its typed refusal (the code live gave); an
     *                            unmodifiable map, empty when none (a journal reader that keeps its own view, such
     *                            as the HTTP port, skips these instead of judging them again)
     */
    public record Report(long intakeRecords, long tickets, long replayed, long assigned, long dispatched,
                         long controlEvents, long routedTwice, long orphanAssignments, long engineStartedIndex,
                         long elapsedNanos, Map<Long, Refusal> refusedControls) {
    }

    private Recovery() {
    }

    /**
     * Recovers.
     *
     * @param journal          the open journal
     * @param classifier       the classifier for tickets never assigned
     * @param router           the router the engine will run with (fresh, as loaded); rebuilt in place
     * @param triageDepartment the pipeline's triage department (router failures)
     * @param start            what is in force from now on, or {@code null} to journal nothing (replay tools)
     * @param sink             receives every journaled ticket id, or {@code null}
     * @return what was done
     * @throws IOException                                   when the rules file or the model cannot be read
     * @throws com.voxroute.journal.JournalFormatException when a record cannot be read
     * @throws IllegalStateException                         when the journal's rules differ from the router's and
     *                                                       no rules file was given to switch back
     */
    public static Report recover(Journal journal, TicketClassifier classifier, Router router, String triageDepartment,
                                 StartInfo start, TicketSink sink) throws IOException {
        long t0 = System.nanoTime();
        String callerRulesVersion = router.rulesVersion();
        String callerRulesText = start != null && start.rulesFile() != null
                ? Files.readString(start.rulesFile(), StandardCharsets.UTF_8) : null;
        List<EngineStarted> starts = journal.engineStarts();
        if (!starts.isEmpty()) {
            // Rebuild under the rules the journal started with (later changes are RULES_RELOADED events in intake).
            EngineStarted first = starts.get(0);
            if (first.rulesText() != null && !first.rulesVersion().equals(router.rulesVersion())) {
                router.apply(new ControlEvent(ControlEvent.Type.RULES_RELOADED, null, null, null, 0, first.rulesText(),
                        first.startedAtEpochMillis()));
            }
        }
        AssignmentEncoder encoder = new AssignmentEncoder();
        long[] c = new long[5]; // replayed, assigned, dispatched, controls, last intake index
        c[4] = -1;
        Map<Long, Refusal> refused = new LinkedHashMap<>();
        try (ExcerptAppender appender = journal.assignments().createAppender()) {
            JournalWalk.Result walk = new JournalWalk(journal).run(new JournalWalk.Visitor() {
                @Override
                public void onTicket(long intakeIndex, TicketReceived received, JournalWalk.Recorded routed) {
                    c[4] = intakeIndex;
                    if (sink != null) {
                        sink.onTicket(received.ticket().ticketId(), received.contentHash());
                    }
                    if (routed != null) {
                        ReplayDecisions.route(router, received, intakeIndex,
                                ReplayDecisions.recorded(routed.assignment(), received.ticket()), triageDepartment);
                        c[0]++;
                    } else {
                        Assignment a = ReplayDecisions.route(router, received, intakeIndex,
                                ReplayDecisions.classify(classifier, received.ticket()), triageDepartment);
                        Journal.append(appender, encoder.encode(a));
                        c[1]++;
                    }
                }

                @Override
                public void onControl(long intakeIndex, ControlEvent event, List<JournalWalk.Recorded> rec) {
                    c[4] = intakeIndex;
                    c[3]++;
                    List<RoutingDecision> moved;
                    try {
                        moved = router.apply(event);
                    } catch (RuntimeException e) {
                        // refused live too (the router's contract: state unchanged); kept with its typed code
                        refused.put(intakeIndex, Refusal.of(e));
                        return;
                    }
                    c[2] += appendMissing(appender, encoder, moved, rec.size(), intakeIndex, event.atEpochMillis());
                }
            });
            long startedIndex = -1;
            if (start != null) {
                long now = journal.config().epochClock().time();
                if (!callerRulesVersion.equals(router.rulesVersion())) {
                    if (callerRulesText == null) {
                        throw new IllegalStateException("the journal's rules " + router.rulesVersion()
                                + " differ from the rules given " + callerRulesVersion + ", and no rules file was given");
                    }
                    // The rules change is journaled like any reload, so replay and later recoveries see it in order.
                    ControlEvent reload = new ControlEvent(ControlEvent.Type.RULES_RELOADED, null, null, null, 0,
                            callerRulesText, now);
                    long reloadIndex;
                    try (ExcerptAppender intake = journal.intake().createAppender()) {
                        reloadIndex = Journal.append(intake, new ControlEventEncoder().encode(reload, now));
                        if (start.durability() == Durability.SYNC) {
                            intake.sync();
                        }
                    }
                    c[4] = reloadIndex;
                    c[2] += appendMissing(appender, encoder, router.apply(reload), 0, reloadIndex, now);
                }
                String digest = start.modelDir() != null ? ModelStore.store(journal.dataDir(), start.modelDir()) : null;
                EngineStarted started = new EngineStarted(now, c[4], start.engineVersion(),
                        start.durability().cliName(), classifier.modelVersion(), digest,
                        start.modelDir() != null ? start.modelDir().toAbsolutePath().toString() : null,
                        callerRulesVersion, callerRulesText);
                try (ExcerptAppender engine = journal.engine().createAppender()) {
                    startedIndex = Journal.append(engine, new EngineStartedEncoder().encode(started));
                }
            }
            if (journal.config().durability() == Durability.SYNC) {
                appender.sync();
            }
            return new Report(walk.intakeRecords(), walk.tickets(), c[0], c[1], c[2], c[3], walk.routedTwice(),
                    walk.orphanAssignments(), startedIndex, System.nanoTime() - t0,
                    Collections.unmodifiableMap(refused));
        }
    }

    private static long appendMissing(ExcerptAppender appender, AssignmentEncoder encoder, List<RoutingDecision> moved,
                                      int recorded, long intakeIndex, long atEpochMillis) {
        long appended = 0;
        for (int i = recorded; i < moved.size(); i++) {
            Journal.append(appender, encoder.encode(ReplayDecisions.dispatched(moved.get(i), intakeIndex, atEpochMillis)));
            appended++;
        }
        return appended;
    }
}
