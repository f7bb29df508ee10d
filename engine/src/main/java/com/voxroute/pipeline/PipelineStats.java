package com.voxroute.pipeline;

/**
 * A snapshot of the pipeline's counters since start (this process). Counts of tickets unless named otherwise.
 *
 * @param offered          tickets taken into the ring
 * @param backPressured    offers refused because the ring was full
 * @param journaled        tickets appended to the intake journal (accepted)
 * @param duplicates       tickets whose id was journaled before with the same content (not re-assigned)
 * @param conflicts        tickets refused with DUPLICATE_CONFLICT
 * @param stopped          tickets and control events refused because intake had stopped
 * @param classifyFailures tickets whose classification threw (routed as abstained, marked failed)
 * @param routeFailures    tickets whose routing threw (sent to triage by the pipeline, marked failed)
 * @param assigned         assignment records of kind ROUTED appended
 * @param triaged          of those, sent to triage
 * @param dispatched       assignment records of kind DISPATCHED appended
 * @param controlEvents    control events journaled
 * @param controlRejected  control events the router refused
 * @param listenerErrors   exceptions thrown by listeners
 * @param journaledAtStart tickets found in the intake journal when the pipeline started
 */
public record PipelineStats(
        long offered,
        long backPressured,
        long journaled,
        long duplicates,
        long conflicts,
        long stopped,
        long classifyFailures,
        long routeFailures,
        long assigned,
        long triaged,
        long dispatched,
        long controlEvents,
        long controlRejected,
        long listenerErrors,
        long journaledAtStart) {
}
