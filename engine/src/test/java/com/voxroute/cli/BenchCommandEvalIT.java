package com.voxroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.bench.BenchDataSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voxroute bench pipeline --json} on the real data and model (trains the Banking77 model if not cached). */
@Tag("eval")
class BenchCommandEvalIT {

    @Test
    @Timeout(600)
    void pipelineJsonHoldsBothPipelinesWithPercentilesAndAchievedRate() throws Exception {
        BenchDataSet.locateDataRoot(); // fails with where it looked when the data is missing
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = VoxRouteCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "bench", "pipeline", "--rate", "200", "--seconds", "1", "--warmup-seconds", "0.5", "--json",
                "--pacer", "PARK");

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        for (String pipeline : List.of("voxroute", "baseline")) {
            JsonNode p = json.path(pipeline);
            for (String q : List.of("p50", "p90", "p99", "p999", "max")) {
                assertThat(p.path("latencyMicros").path(q).isNumber()).as(pipeline + " " + q).isTrue();
                assertThat(p.path("latencyMicros").path(q).asDouble()).as(pipeline + " " + q).isPositive();
            }
            assertThat(p.path("achievedRate").asDouble()).as(pipeline + " achievedRate").isPositive();
            assertThat(p.path("completed").asLong()).isEqualTo(200);
            assertThat(p.path("latencyMicros").path("p50").asDouble())
                    .isLessThanOrEqualTo(p.path("latencyMicros").path("p99").asDouble());
        }
    }

    @Test
    @Timeout(600)
    void recordedPaceOffersTheGovBoardTrafficToBothPipelinesAndLayoutsAreSelectable() throws Exception {
        java.nio.file.Path traffic = BenchDataSet.locateDataRoot().resolve("zh-gov-board/traffic-unlabelled.jsonl");
        assertThat(traffic).as("the recorded gov-board traffic").isRegularFile();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // 5,000,000x with gaps cut to 0.1 s: the 4,326 recorded tickets in about 7 s; the first second here
        int code = VoxRouteCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "bench", "pipeline", "--pace", "recorded", "--traffic", traffic.toString(), "--speedup", "5000000",
                "--max-gap-seconds", "0.1", "--seconds", "1", "--rounds", "1", "--warmup-seconds", "0.5", "--json",
                "--pacer", "PARK", "--thread-layout", "pooled", "--classify-threads", "2");

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        long v = json.path("voxroute").path("completed").asLong();
        assertThat(v).as("tickets of the first second").isGreaterThan(50);
        assertThat(json.path("baseline").path("completed").asLong()).as("the same tickets").isEqualTo(v);
        assertThat(json.path("voxroute").path("configuration").asText()).contains("POOLED x2");
    }
}
