package com.voxroute.benchmarks;

import com.voxroute.intake.DataLocator;
import com.voxroute.intake.TicketParser;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.web.AccessTokens;
import com.voxroute.web.PipelineIntakePort;
import com.voxroute.web.Role;
import com.voxroute.web.ServeConfig;
import com.voxroute.web.VoxRouteServer;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

/**
 * A real server for the load generator's tests: pipeline, journal ({@code dir/data}) and Jetty on 127.0.0.1 (a free
 * port), with the zero-cost {@link ConstantClassifier} (every ticket {@code card_arrival}, so no trained model) and
 * the Banking77 rules; a fresh token file {@code dir/tokens}. Closing stops the server, then the intake port, then
 * the pipeline. Test code: one thread opens and closes it.
 */
final class ConstantServer implements AutoCloseable {

    final Pipeline pipeline;
    final VoxRouteServer server;
    final Path tokenFile;
    final Map<Role, String> tokens;
    private final PipelineIntakePort port;

    /**
     * @param dir a scratch directory (the journal and the token file go there)
     * @throws Exception when the pipeline or the server cannot start
     */
    ConstantServer(Path dir) throws Exception {
        Path rules = DataLocator.fromEnvironment().repoRoot().orElseThrow().resolve("replay-data/banking77/rules.yaml");
        ConstantClassifier classifier = new ConstantClassifier("card_arrival");
        tokenFile = dir.resolve("tokens");
        tokens = AccessTokens.create(tokenFile, new SecureRandom());
        pipeline = Pipeline.start(new PipelineConfig().dataDir(dir.resolve("data")), classifier,
                CapacityAwareRouter.fromYaml(rules));
        PipelineIntakePort p = null;
        try {
            p = new PipelineIntakePort(pipeline, classifier, rules, TicketParser.DEFAULT_MAX_TEXT_BYTES);
            server = new VoxRouteServer(ServeConfig.defaults().withPort(0).withDataDir(dir.resolve("data"))
                    .withTokenFile(tokenFile), p, AccessTokens.load(tokenFile)).start();
            port = p;
        } catch (Exception | Error e) {
            if (p != null) {
                p.close();
            }
            pipeline.close();
            throw e;
        }
    }

    @Override
    public void close() {
        server.close();
        port.close();
        pipeline.close();
    }
}
