package com.voxroute.benchmarks;

import com.voxroute.bench.BenchTicket;
import com.voxroute.bench.LatencyRecorder;
import com.voxroute.bench.OpenLoopHarness;
import com.voxroute.bench.TicketShape;
import com.voxroute.web.Role;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator's flow ({@link HttpLoad#run}) through each HTTP client against a real server on 127.0.0.1
 * (real pipeline, journal and Jetty server; the zero-cost {@link ConstantClassifier}, so no trained model): every
 * request of the measured phase is answered 200, the warm-up's responses are not in the counts, exactly one latency
 * value per measured request, the engine's stage stamps are read from the replies, the connection cap holds
 * (requests beyond it queue, none is lost). Counts and statuses only: nothing here asserts speed.
 */
@Timeout(120)
class HttpLoadIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(HttpLoad.Client.class)
    void aShortRunThroughEachClientAnswersEveryMeasuredRequestAndCountsNoWarmUp(HttpLoad.Client client) throws Exception {
        List<BenchTicket> tickets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tickets.add(new BenchTicket("t" + i, i % 2 == 0 ? "my card has not arrived \"yet\"" : "卡还没到\n",
                    i % 2 == 0 ? "en" : "zh", null, TicketShape.ENGLISH));
        }
        try (ConstantServer s = new ConstantServer(dir)) {
            String token = s.tokens.get(Role.INTAKE);
            var submit = HttpSubmitPipeline.submitUri(s.server.baseUri());
            HttpTransport transport = client == HttpLoad.Client.JETTY ? new JettyHttpTransport(submit, token, 2, 2)
                    : new JdkHttpTransport(submit, token, 2);
            HttpLoad.Outcome o;
            try (HttpSubmitPipeline http = new HttpSubmitPipeline(transport, "b-", SystemNanoClock.INSTANCE, true, 2, 10_000)) {
                OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK,
                        Duration.ofSeconds(60));
                harness.attach(http);
                long self = ProcessHandle.current().pid();
                o = HttpLoad.run(harness, http, new OpenLoopHarness.Phase("warmup", tickets, 200, 0.25),
                        new OpenLoopHarness.Phase("measure", tickets, 300, 1),
                        () -> snapshot(self), Map::of, new PrintWriter(new StringWriter()));
                assertThat(http.statusCounts()).as("warm-up and measured together").isEqualTo(Map.of(200, 350L));
            }
            assertThat(o.statuses()).as("the measured phase only").isEqualTo(Map.of(200, 300L));
            assertThat(o.measured().sent()).isEqualTo(300);
            assertThat(o.measured().completed()).isEqualTo(300);
            LatencyRecorder l = o.measured().latency();
            assertThat(l.endToEnd().getTotalCount()).as("one value per request").isEqualTo(300);
            assertThat(l.histogram(LatencyRecorder.Stage.JOURNALED).getMinValue())
                    .as("the engine's own stamps were read from the replies").isPositive();
            assertThat(l.histogram(LatencyRecorder.Stage.JOURNALED).getMaxValue())
                    .isLessThanOrEqualTo(l.histogram(LatencyRecorder.Stage.PUBLISHED).getMaxValue());
            assertThat(o.clientCpu()).containsKey(ProcessCpu.PROCESS);
            assertThat(o.serverCpu()).isEmpty();
            assertThat(s.pipeline.stats().assigned()).isEqualTo(350);
        }
    }

    private static Map<String, Long> snapshot(long pid) {
        try {
            return ProcessCpu.snapshot(pid);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
