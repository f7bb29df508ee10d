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
 * or a classifier's (a fixed one, or the model each {@code ENGINE_STARTED} record and each {@code MODEL_CHANGED}
 * control event names, whichever came last in the journal); rules start as the
 * router's and change where the journal has RULES_RELOADED control events (as they did live).
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

    /**
     * Thrown by {@link #run} when it was asked to reclassify from the recorded models ({@code modelFor}) and a
     * ticket falls under no model it can load: no {@code ENGINE_STARTED} record before it, or one that records no
     * model digest (journals of older builds, or a pipeline started without a model directory) and names a model
     * other than the one already in force. The replay stops rather than fall back to the recorded classification
     * inputs, which would claim a reclassification that did not happen.
     */
    public static final class CannotReclassifyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CannotReclassifyException(String message) {
            super(message);
        }
    }

    private final Journal journal;
    private final Router router;
    private final String triageDepartment;
    private final List<EngineStarted> starts;
    private final TicketClassifier fixedClassifier;
    private final Function<EngineStarted, TicketClassifier> modelFor;
    private EngineStarted inForce;
    /** The recorded model in force (reclassify mode), or {@code null} when the journal does not say which. */
    private TicketClassifier startClassifier;
    private int nextStart;
    private boolean keepRules;

    /**
     * Keeps the router's rules for the whole replay: journaled RULES_RELOADED events only advance time (a TICK).
     * For what-if with candidate rules.
     *
     * @param keepRules {@code true} to keep them
     * @return this
     */
    public ReplayEngine keepRules(boolean keepRules) {
        this.keepRules = keepRules;
        return this;
    }

    /**
     * @param journal          the journal
     * @param router           a fresh router with the rules in force at the start of the journal (state is built
     *                         here; later rules changes are RULES_RELOADED control events in the journal)
     * @param triageDepartment the pipeline's triage department
     * @param starts           the journal's ENGINE_STARTED records, oldest first (for {@code modelFor})
     * @param fixedClassifier  classify every ticket with this one (what-if candidate, or a given model), or
     *                         {@code null}
     * @param modelFor         when {@code fixedClassifier} is {@code null}: the model in force for an engine start
     *                         (verify --reclassify; it returns {@code null} when the start records no model digest:
     *                         the model in force stays if the start names the same model version, else
     *                         {@link #run} throws {@link CannotReclassifyException} at the next ticket), or
     *                         {@code null} to use the recorded classification inputs
     */
    public ReplayEngine(Journal journal, Router router, String triageDepartment, List<EngineStarted> starts,
                        TicketClassifier fixedClassifier, Function<EngineStarted, TicketClassifier> modelFor) {
        this.journal = journal;
        this.router = router;
        this.triageDepartment = triageDepartment;
        this.starts = starts;
        this.fixedClassifier = fixedClassifier;
        this.modelFor = modelFor;
    }

    /**
     * Replays the whole journal.
     *
     * @param selection which decisions are selected
     * @param sink      receives each pair
     * @return the walk's counts
     * @throws CannotReclassifyException when reclassifying from the recorded models and a ticket has no loadable
     *                                   model in force (see the exception)
     */
    public JournalWalk.Result run(Selection selection, Sink sink) {
        return new JournalWalk(journal).run(new JournalWalk.Visitor() {
            @Override
            public void onTicket(long intakeIndex, TicketReceived received, JournalWalk.Recorded routed) {
                TicketClassifier classifier = classifierAt(intakeIndex);
                if (classifier == null && fixedClassifier == null && modelFor != null) {
                    throw new CannotReclassifyException(inForce == null
                            ? "cannot reclassify the ticket at intake index " + intakeIndex + ": no ENGINE_STARTED"
                                    + " record before it names its model"
                            : "cannot reclassify the ticket at intake index " + intakeIndex + ": the engine start"
                                    + " at intake index " + inForce.intakeIndexAtStart() + " records no digest for"
                                    + " model " + inForce.modelVersion() + " (no copy in the store)");
                }
                ReplayDecisions.Inputs in = classifier != null || routed == null
                        ? ReplayDecisions.classify(requireClassifier(classifier, intakeIndex), received.ticket())
                        : ReplayDecisions.recorded(routed.assignment(), received.ticket());
                Assignment replayed = ReplayDecisions.route(router, received, intakeIndex, in, triageDepartment);
                sink.onTicket(intakeIndex, received, routed, replayed,
                        selection.contains(intakeIndex, received.receivedAtEpochMillis()));
            }

            @Override
            public void onControl(long intakeIndex, ControlEvent event, List<JournalWalk.Recorded> rec) {
                if (event.type() == ControlEvent.Type.MODEL_CHANGED) {
                    switchModel(intakeIndex, event);
                }
                List<RoutingDecision> moved;
                ControlEvent applied = keepRules && event.type() == ControlEvent.Type.RULES_RELOADED
                        ? new ControlEvent(ControlEvent.Type.TICK, null, null, null, 0, null, event.atEpochMillis())
                        : event;
                try {
                    moved = router.apply(applied);
                } catch (RuntimeException refused) {
                    moved = List.of();
                }
                pair(intakeIndex, event.atEpochMillis(), moved, rec, selection, sink);
            }
        });
    }

    private TicketClassifier classifierAt(long intakeIndex) {
        if (fixedClassifier != null || modelFor == null) {
            return fixedClassifier;
        }
        while (nextStart < starts.size() && starts.get(nextStart).intakeIndexAtStart() < intakeIndex) {
            inForce = starts.get(nextStart++);
            TicketClassifier next = modelFor.apply(inForce);
            if (next != null) {
                startClassifier = next;
            } else if (startClassifier != null && !startClassifier.modelVersion().equals(inForce.modelVersion())) {
                // no digest, and another model than the one in force: the journal does not say which model this is
                startClassifier = null;
            }
        }
        return startClassifier;
    }

    /**
     * A journaled model swap: with reclassification from the recorded models ({@code modelFor}), tickets after it are
     * classified by the model it names (from the store by digest), exactly as live. With recorded inputs or a fixed
     * classifier it changes nothing (the recorded inputs already carry the model version that made them).
     */
    private void switchModel(long intakeIndex, ControlEvent event) {
        if (fixedClassifier != null || modelFor == null) {
            return;
        }
        classifierAt(intakeIndex); // engine starts before this event take effect first
        ModelChange change = ModelChange.of(event);
        EngineStarted asStart = new EngineStarted(event.atEpochMillis(), intakeIndex,
                inForce != null ? inForce.engineVersion() : "unknown",
                inForce != null ? inForce.durability() : "page-cache", change.modelVersion(), change.modelDigest(),
                change.modelDir(), inForce != null ? inForce.rulesVersion() : "unknown", null);
        TicketClassifier next = modelFor.apply(asStart);
        if (next != null) {
            startClassifier = next;
        }
    }

    private static TicketClassifier requireClassifier(TicketClassifier classifier, long intakeIndex) {
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
