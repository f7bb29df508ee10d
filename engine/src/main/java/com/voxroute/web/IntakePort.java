package com.voxroute.web;

import com.voxroute.routing.ControlEvent;

import java.util.List;

/**
 * What the HTTP layer needs from the running pipeline: the one seam between {@code com.voxroute.web} and the
 * engine (ring, journal, routing state). The web layer depends only on this interface; the engine side
 * adapts its pipeline to it, and the web tests run against an in-memory implementation.
 *
 * <p>Threading: every method may be called from any number of HTTP worker threads at once, except that a
 * cursor returned by {@link #openAssignments(long)} belongs to the thread that uses it. No method blocks on
 * a full ring: submissions answer {@link SubmitResult.Status#BACK_PRESSURED} at once.
 */
public interface IntakePort {

    /**
     * Validates, journals and enqueues one ticket. Returns after the journal append (accepted = journaled).
     *
     * @param ticket the ticket, never {@code null}, already shape-checked by the web layer
     * @return {@code ACCEPTED} with the intake journal index; {@code DUPLICATE} with the original index when
     *         the same ticket (same id and content) was accepted before; {@code DUPLICATE_CONFLICT};
     *         {@code REJECTED} with a code ({@code TEXT_EMPTY}, {@code TEXT_TOO_LONG}, ...);
     *         {@code BACK_PRESSURED} when the ring is full; {@code UNAVAILABLE} when intake has stopped
     */
    SubmitResult submitTicket(TicketSubmission ticket);

    /**
     * Receives the outcome of {@link #submitTicketAsync}. Methods may be called on the calling thread (an answer
     * known at once: a rejection, a full ring) or on a pipeline thread; they must not block.
     */
    interface SubmitCallback {
        /**
         * Called exactly once: the same answers as {@link #submitTicket}.
         *
         * @param result the outcome
         */
        void onResult(SubmitResult result);

        /**
         * Called at most once, when this submission's ticket has been assigned (its assignment journaled); may
         * run concurrently with {@link #onResult} on another pipeline thread, but only for a ticket that is
         * accepted. The default does nothing.
         *
         * @param assignment the assignment with its journal index
         */
        default void onAssigned(AssignmentView assignment) {
        }

        /** @return {@code false} when {@link #onAssigned} would be ignored (the port may then skip building it) */
        default boolean wantsAssignment() {
            return true;
        }
    }

    /**
     * Like {@link #submitTicket}, without blocking the calling thread: the answer (and, for a ticket accepted now,
     * its assignment) reaches {@code callback}. The default calls {@link #submitTicket} and answers at once (no
     * {@code onAssigned}).
     *
     * @param ticket   the ticket, never {@code null}, already shape-checked by the web layer
     * @param callback receives the outcome, never {@code null}
     */
    default void submitTicketAsync(TicketSubmission ticket, SubmitCallback callback) {
        callback.onResult(submitTicket(ticket));
    }

    /**
     * Journals and enqueues one control event (resolved, transferred, reopened, availability, capacity).
     *
     * @param event the event, never {@code null}; {@code atEpochMillis} is ignored (the journal time is used)
     * @return {@code ACCEPTED} with the intake journal index (with a {@code code} when the router refused the event
     *         after it was journaled: it changed nothing); {@code REJECTED} with {@code UNKNOWN_TICKET},
     *         {@code UNKNOWN_DEPARTMENT}, {@code UNKNOWN_QUEUE} or {@code INVALID_TRANSITION} (nothing written);
     *         {@code BACK_PRESSURED}; {@code UNAVAILABLE}
     */
    SubmitResult submitControl(ControlEvent event);

    /**
     * @param ticketId a ticket id, never {@code null}
     * @return the ticket with its latest assignment and events, or {@code null} when no such ticket was accepted
     */
    TicketView findTicket(String ticketId);

    /**
     * Opens a cursor on the {@code assignments} journal.
     *
     * @param afterAssignmentIndex the cursor returns records with an index strictly greater than this one;
     *                             {@code -1} for the start of the journal
     * @return a new cursor, never {@code null}; the caller closes it
     */
    AssignmentCursor openAssignments(long afterAssignmentIndex);

    /** @return the index of the last published assignment, or {@code -1} when none */
    long lastAssignmentIndex();

    /**
     * Registers a listener told of every assignment published from now on.
     *
     * @param listener never {@code null}; called on the publish thread (see {@link AssignmentListener})
     */
    void addAssignmentListener(AssignmentListener listener);

    /**
     * Whether the assignment listeners ({@link #addAssignmentListener}) hear of a new assignment as soon as it is
     * published. A port that first reads the history of its journal (at start) says {@code false} until it has
     * caught up; a waiting request then also asks for {@link SubmitCallback#onAssigned}, so that its wait is not
     * spent behind the history. Safe from any thread.
     *
     * @return {@code true} when the listeners are live; the default is {@code true}
     */
    default boolean assignmentListenersLive() {
        return true;
    }

    /** @return every department's state, in a fixed order, never {@code null} */
    List<DepartmentView> departments();

    /** @return the rules in force, never {@code null} */
    RulesView rules();

    /**
     * Validates new rules and, when valid, journals their reload (the old rules stay in force otherwise).
     *
     * @param yaml the YAML text, never {@code null}
     * @return accepted with the new version, or refused with the line and reason, or back-pressured
     */
    RulesUpdateResult replaceRules(String yaml);

    /** @return the model in force, never {@code null} */
    ModelView model();

    /**
     * Loads a trained model directory on this server, validates it and, when valid, swaps it in between tickets:
     * a journaled {@code MODEL_CHANGED} control event, so every ticket journaled before it is classified by the
     * old model and every ticket after it by the new one. Blocks the calling thread while the model loads
     * (seconds for a large model).
     *
     * @param modelDir the model directory, an absolute path on the server, never {@code null}
     * @return accepted with the new version and the event's journal index; refused ({@code MODEL_NOT_FOUND},
     *         {@code MODEL_FORMAT_VERSION}, {@code MODEL_INVALID}) with the model in force unchanged; or unavailable
     *         (ring full, intake stopped)
     */
    ModelUpdateResult replaceModel(java.nio.file.Path modelDir);

    /** @return the ring buffer's free slots now, in [0, {@link #ringBufferSize()}] */
    long ringRemainingCapacity();

    /** @return the ring buffer's size in slots (a power of two) */
    long ringBufferSize();

    /**
     * @param queue {@code intake} or {@code assignments}
     * @return the bytes the queue's journal files hold on disk, >= 0
     */
    long journalSizeBytes(String queue);

    /** @return {@code true} once the pipeline has started and intake is open (and not stopped by a failure) */
    boolean isReady();
}
