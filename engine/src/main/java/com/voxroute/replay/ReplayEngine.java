package com.voxroute.replay;

import com.voxroute.classifier.TicketClassifier;
import com.voxroute.journal.EngineStarted;
import com.voxroute.journal.Journal;
import com.voxroute.journal.TicketReceived;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingDecision;

import java.util.List;
import java.util.function.Function;

/**
 * Re-runs a journal's decisions through a router (and optionally a classifier), side by side with the recorded
 * ones: the common core of {@code replay --mode verify} and {@code --mode what-if}.
 *
 * <p>Routing state always starts at the beginning of the journal (it depends on everything before), so the whole
 * intake journal is replayed; the {@link Selection} only decides which decisions reach the {@link Sink} as
 * selected. Classification inputs are either the recorded ones (no classifier: what routing alone decides, fast)
 * or a classifier's; rules are the router's, optionally switched at every {@code ENGINE_STARTED} to the rules text
 * recorded there (verify), or fixed (what-if with candidate rules).
 *
 * <p>Threading: one thread; owns the router.
 */
public final class ReplayEngine {

    /** Receives each decision pair. */
    public interface Sink {
        /**
         * A ticket.
         *
         * @param intakeIndex its index
         * @param received    the journaled ticket
         * @param recorded    its recorded ROUTED assignment, or {@code null} when never assigned
         * @param replayed    the replayed assignment (stage times 0)
         * @param selected    inside the selection
         */
        void onTicket(long intakeIndex, TicketReceived received, JournalWalk.Recorded recorded, Assignment replayed,
                      boolean selected);

        /**
         * A DISPATCHED decision (by a control event or a rules switch), paired by position.
         *
         * @param intakeIndex the event's index
         * @param recorded    the recorded one, or {@code null} when the replay made more
         * @param replayed    the replayed one, or {@code null} when the recording has more
         * @param selected    inside the selection
         */
        default void onDispatched(long intakeIndex, JournalWalk.Recorded recorded, Assignment replayed,
                                  boolean selected) {
        }
    }

    private final Journal journal;
    private final Router router;
    private final String triageDepartment;
    private final boolean followRecordedRules;
    private final Function<EngineStarted, TicketClassifier> classifierFor;
    private TicketClassifier classifier;

    /**
     * @param journal             the journal
     * @param router              a fresh router (state is built here)
     * @param triageDepartment    the pipeline's triage department
     * @param followRecordedRules switch rules at each ENGINE_STARTED with rules text (verify); {@code false} keeps
     *                            the router's rules (what-if candidate)
     * @param initialClassifier   classifier before the first ENGINE_STARTED, or {@code null} for recorded inputs
     * @param classifierFor       at each ENGINE_STARTED, the classifier from then on ({@code null} result: keep);
     *                            {@code null} for none
     */
    public ReplayEngine(Journal journal, Router router, String triageDepartment, boolean followRecordedRules,
                        TicketClassifier initialClassifier, Function<EngineStarted, TicketClassifier> classifierFor) {
        this.journal = journal;
        this.router = router;
        this.triageDepartment = triageDepartment;
        this.followRecordedRules = followRecordedRules;
        this.classifier = initialClassifier;
        this.classifierFor = classifierFor;
    }

    /**
     * Replays the whole journal.
     *
     * @param selection which decisions are selected
     * @param sink      receives each pair
     * @return the walk's counts
     */
    public JournalWalk.Result run(Selection selection, Sink sink) {
        return new JournalWalk(journal).run(new JournalWalk.Visitor() {
            @Override
            public void onEngineStarted(long intakeIndex, EngineStarted started, List<JournalWalk.Recorded> rec) {
                if (classifierFor != null) {
                    TicketClassifier next = classifierFor.apply(started);
                    if (next != null) {
                        classifier = next;
                    }
                }
                List<RoutingDecision> moved = List.of();
                if (followRecordedRules && started.rulesText() != null
                        && !started.rulesVersion().equals(router.rulesVersion())) {
                    moved = router.apply(new ControlEvent(ControlEvent.Type.RULES_RELOADED, null, null, null, 0,
                            started.rulesText(), started.startedAtEpochMillis()));
                }
                pair(intakeIndex, started.startedAtEpochMillis(), moved, rec, selection, sink);
            }

            @Override
            public void onTicket(long intakeIndex, TicketReceived received, JournalWalk.Recorded routed) {
                ReplayDecisions.Inputs in = classifier != null || routed == null
                        ? ReplayDecisions.classify(requireClassifier(intakeIndex), received.ticket())
                        : ReplayDecisions.recorded(routed.assignment(), received.ticket());
                Assignment replayed = ReplayDecisions.route(router, received, intakeIndex, in, triageDepartment);
                sink.onTicket(intakeIndex, received, routed, replayed,
                        selection.contains(intakeIndex, received.receivedAtEpochMillis()));
            }

            @Override
            public void onControl(long intakeIndex, ControlEvent event, List<JournalWalk.Recorded> rec) {
                List<RoutingDecision> moved;
                try {
                    moved = router.apply(event);
                } catch (RuntimeException refused) {
                    moved = List.of();
                }
                pair(intakeIndex, event.atEpochMillis(), moved, rec, selection, sink);
            }
        });
    }

    private TicketClassifier requireClassifier(long intakeIndex) {
        if (classifier == null) {
            throw new IllegalStateException("ticket at index " + intakeIndex
                    + " was journaled but never assigned (run `voxroute recover` first, or give a model to classify it)");
        }
        return classifier;
    }

    private static void pair(long intakeIndex, long at, List<RoutingDecision> moved, List<JournalWalk.Recorded> rec,
                             Selection selection, Sink sink) {
        boolean selected = selection.contains(intakeIndex, at);
        int n = Math.max(moved.size(), rec.size());
        for (int i = 0; i < n; i++) {
            sink.onDispatched(intakeIndex, i < rec.size() ? rec.get(i) : null,
                    i < moved.size() ? ReplayDecisions.dispatched(moved.get(i), intakeIndex, at) : null, selected);
        }
    }
}
