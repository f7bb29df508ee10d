package com.voxroute.bench;

import com.voxroute.intake.TicketParser;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.testing.Fixtures;
import com.voxroute.web.AccessTokens;
import com.voxroute.web.PipelineIntakePort;
import com.voxroute.web.Role;
import com.voxroute.web.ServeConfig;
import com.voxroute.web.VoxRouteServer;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-loop harness through HTTP ({@link HttpBenchPipeline}) against a real server on 127.0.0.1 (real
 * pipeline and journal, the zero-cost {@link ConstantClassifier}): every request is answered 200 with its
 * assignment, exactly one latency value per request (no second correction), stage stamps in order, and the
 * harness's connection cap holds (requests beyond it queue, they are not lost).
 */
@Timeout(120)
class HttpBenchPipelineIT {

    @TempDir
    Path dir;

    @Test
    void aShortFixedRateRunOverHttpCompletesEveryRequestWithOneLatencyValueEach() throws Exception {
        Path rules = Fixtures.repoRoot().resolve("replay-data/banking77/rules.yaml");
        ConstantClassifier classifier = new ConstantClassifier("card_arrival");
        Path tokens = dir.resolve("tokens");
        String token = AccessTokens.create(tokens, new SecureRandom()).get(Role.INTAKE);
        List<BenchTicket> tickets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tickets.add(new BenchTicket("t" + i, i % 2 == 0 ? "my card has not arrived \"yet\"" : "卡还没到\n",
                    i % 2 == 0 ? "en" : "zh", null, TicketShape.ENGLISH));
        }
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (Pipeline pipeline = Pipeline.start(new PipelineConfig().dataDir(dir.resolve("data")), classifier,
                CapacityAwareRouter.fromYaml(rules));
             PipelineIntakePort port = new PipelineIntakePort(pipeline, classifier, rules,
                     TicketParser.DEFAULT_MAX_TEXT_BYTES);
             VoxRouteServer server = new VoxRouteServer(ServeConfig.defaults().withPort(0)
                     .withDataDir(dir.resolve("data")).withTokenFile(tokens), port, AccessTokens.load(tokens)).start();
             HttpBenchPipeline http = new HttpBenchPipeline(server.baseUri(), token, executor,
                     SystemNanoClock.INSTANCE, true, 2, 10_000)) {
            OpenLoopHarness harness = new OpenLoopHarness(SystemNanoClock.INSTANCE, OpenLoopHarness.Pacer.PARK,
                    Duration.ofSeconds(60));
            harness.attach(http);
            OpenLoopHarness.RunResult r = harness.run(List.of(new OpenLoopHarness.Phase("measure", tickets, 300, 1)));
            OpenLoopHarness.PhaseResult p = r.phase("measure");
            assertThat(r.lost()).isZero();
            assertThat(p.sent()).isEqualTo(300);
            assertThat(p.completed()).isEqualTo(300);
            assertThat(http.statusCounts()).isEqualTo(Map.of(200, 300L));
            assertThat(p.latency().endToEnd().getTotalCount()).as("one value per request").isEqualTo(300);
            LatencyRecorder l = p.latency();
            assertThat(l.histogram(LatencyRecorder.Stage.JOURNALED).getMaxValue())
                    .isLessThanOrEqualTo(l.histogram(LatencyRecorder.Stage.PUBLISHED).getMaxValue());
            assertThat(l.histogram(LatencyRecorder.Stage.JOURNALED).getMinValue())
                    .as("the engine's own stamps were read from the replies").isPositive();
            assertThat(pipeline.stats().assigned()).isEqualTo(300);
        } finally {
            executor.shutdownNow();
        }
    }
}
