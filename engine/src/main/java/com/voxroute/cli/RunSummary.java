package com.voxroute.cli;

import java.util.Map;

/**
 * What {@code voxroute run} (and {@code demo}) report; written as JSON by {@code --summary-json}.
 *
 * @param input              the ticket file
 * @param dataDir            the journal directory
 * @param tickets            non-blank lines read (each is one ticket, accepted or not):
 *                           {@code tickets == assigned + duplicates + rejected}
 * @param assigned           tickets journaled and given an assignment record in this run (triaged and failed
 *                           ones included)
 * @param triaged            of {@code assigned}, sent to the triage queue
 * @param rejected           tickets refused: by intake (bad JSON, missing id, empty/too long text, invalid UTF-8),
 *                           by the journal stage (DUPLICATE_CONFLICT), or because intake stopped
 * @param rejectedByCode     {@code rejected} per reject code
 * @param failed             of {@code assigned}, tickets where a stage threw (they go to triage)
 * @param duplicates         tickets whose id was already journaled with the same content (not re-assigned)
 * @param labelled           assigned tickets that carried a {@code label}
 * @param categoryAccuracy   share of labelled assigned tickets whose top category equals the label (the
 *                           classifier's top-1 accuracy, abstentions included as they are); {@code null} when no
 *                           ticket had a label
 * @param departmentAccuracy share of labelled assigned tickets whose department equals
 *                           {@code Router.expectedDepartment} for the true label (with the ticket's own channel,
 *                           tier, region, language and text); a triaged ticket counts as wrong; {@code null}
 *                           when no ticket had a label
 * @param throughputPerSecond tickets per second, from the first line read to the last assignment journaled
 * @param elapsedSeconds     that wall time in seconds
 * @param latencyMicros      per ticket, from the line read to its assignment journaled (HdrHistogram,
 *                           microseconds); the file is offered as fast as it is read (closed loop, saturated), so
 *                           this includes the wait in a full ring and grows with the ring size; open-loop latency
 *                           at a fixed rate is the benchmarks' job
 * @param stageLatencyMicros the pipeline's own service time per ticket from its stage timestamps (microseconds,
 *                           p50/p99): intake record journaled to assignment published, and the classify and route
 *                           stages; unlike {@code latencyMicros} it excludes the wait before the ring, so it
 *                           reflects the engine's speed rather than the depth of the queue
 * @param modelVersion       the classifier model version
 * @param rulesVersion       the rules version at the end of the run
 * @param journaledAtStart   tickets already in the intake journal before this run
 * @param stopped            {@code true} when intake stopped on a journal failure
 */
public record RunSummary(
        String input,
        String dataDir,
        long tickets,
        long assigned,
        long triaged,
        long rejected,
        Map<String, Long> rejectedByCode,
        long failed,
        long duplicates,
        long labelled,
        Double categoryAccuracy,
        Double departmentAccuracy,
        double throughputPerSecond,
        double elapsedSeconds,
        Latency latencyMicros,
        StageLatency stageLatencyMicros,
        String modelVersion,
        String rulesVersion,
        long journaledAtStart,
        boolean stopped) {

    /**
     * Latency percentiles in microseconds.
     *
     * @param p50  median
     * @param p90  90th percentile
     * @param p99  99th percentile
     * @param p999 99.9th percentile
     * @param max  largest
     * @param count number of values
     */
    public record Latency(double p50, double p90, double p99, double p999, double max, long count) {
    }

    /**
     * Two percentiles in microseconds.
     *
     * @param p50   median
     * @param p99   99th percentile
     * @param count number of values
     */
    public record Percentiles(double p50, double p99, long count) {
    }

    /**
     * The pipeline's service time per routed ticket, from the stage timestamps of each assignment (monotonic
     * clock, microseconds).
     *
     * @param journaledToPublished intake record journaled to assignment record published (classify + route +
     *                             the hand-offs between those stages)
     * @param classify             journaled to classified (the classify stage, with its wait behind earlier
     *                             tickets in the ring)
     * @param route                classified to routed (the route stage)
     */
    public record StageLatency(Percentiles journaledToPublished, Percentiles classify, Percentiles route) {
    }

    /** @return the summary as aligned human-readable lines */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("VoxRoute run: ").append(input).append('\n');
        sb.append(String.format("  tickets              %,d%n", tickets));
        sb.append(String.format("  assigned             %,d (triaged %,d, failed %,d)%n", assigned, triaged, failed));
        sb.append(String.format("  duplicates           %,d%n", duplicates));
        sb.append(String.format("  rejected             %,d%s%n", rejected, rejectedByCode.isEmpty() ? "" : " " + rejectedByCode));
        if (categoryAccuracy != null) {
            sb.append(String.format("  category accuracy    %.4f (%,d labelled)%n", categoryAccuracy, labelled));
            sb.append(String.format("  department accuracy  %.4f (triaged counts as wrong)%n", departmentAccuracy));
        } else {
            sb.append(assigned == 0 ? "  accuracy             n/a (nothing was assigned)\n"
                    : "  accuracy             n/a (no assigned ticket has a label)\n");
        }
        sb.append(String.format("  throughput           %,.0f tickets/s (%.3f s)%n", throughputPerSecond, elapsedSeconds));
        sb.append(String.format("  engine time us       p50 %.1f  p99 %.1f  (journaled -> assignment published;"
                        + " classify p50 %.1f p99 %.1f, route p50 %.1f p99 %.1f; each includes the wait for its"
                        + " stage thread, which is most of it when the ring is full)%n",
                stageLatencyMicros.journaledToPublished.p50, stageLatencyMicros.journaledToPublished.p99,
                stageLatencyMicros.classify.p50, stageLatencyMicros.classify.p99,
                stageLatencyMicros.route.p50, stageLatencyMicros.route.p99));
        sb.append(String.format("  latency us           p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f"
                        + "  (line read -> assignment journaled; the file is offered as fast as it is read,"
                        + " so this includes the wait in a full ring)%n",
                latencyMicros.p50, latencyMicros.p90, latencyMicros.p99, latencyMicros.p999, latencyMicros.max));
        sb.append("  model                ").append(modelVersion).append('\n');
        sb.append("  rules                ").append(rulesVersion).append('\n');
        sb.append("  journal              ").append(dataDir)
                .append(String.format(" (%,d tickets journaled before this run)%n", journaledAtStart));
        if (stopped) {
            sb.append("  INTAKE STOPPED: journal failure, see the error above\n");
        }
        return sb.toString();
    }
}
