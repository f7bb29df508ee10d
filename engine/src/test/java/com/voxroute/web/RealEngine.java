package com.voxroute.web;

import com.voxroute.classifier.ClassifierModel;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.TicketParser;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.pipeline.WaitKind;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.Router;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

/** The real engine (pipeline, journal, model, rules) behind a server on 127.0.0.1, for the web tests. */
final class RealEngine implements AutoCloseable {

    final Pipeline pipeline;
    final PipelineIntakePort port;
    final VoxRouteServer server;
    final Map<Role, String> tokens;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final URI base;

    RealEngine(Path model, Path rules, Path dataDir, Path tokenFile) throws Exception {
        this(model, rules, dataDir, tokenFile, CapacityAwareRouter.fromYaml(rules));
    }

    /** With a router of the test's choice (e.g. one that does not check ahead), built from {@code rules}. */
    RealEngine(Path model, Path rules, Path dataDir, Path tokenFile, Router router) throws Exception {
        this(model, rules, dataDir, tokenFile, router, PipelineIntakePort.DEFAULT_ASSIGNMENT_CACHE_TICKETS);
    }

    /** With the port keeping the views of only the {@code assignmentCacheTickets} most recently assigned tickets. */
    RealEngine(Path model, Path rules, Path dataDir, Path tokenFile, int assignmentCacheTickets) throws Exception {
        this(model, rules, dataDir, tokenFile, CapacityAwareRouter.fromYaml(rules), assignmentCacheTickets);
    }

    private RealEngine(Path model, Path rules, Path dataDir, Path tokenFile, Router router, int assignmentCacheTickets)
            throws Exception {
        this(model, rules, dataDir, tokenFile, router, assignmentCacheTickets, 0);
    }

    /** With the request path's threads under SCHED_FIFO at {@code realtimePriority} (serve --realtime-priority). */
    static RealEngine realtime(Path model, Path rules, Path dataDir, Path tokenFile, int realtimePriority)
            throws Exception {
        return new RealEngine(model, rules, dataDir, tokenFile, CapacityAwareRouter.fromYaml(rules),
                PipelineIntakePort.DEFAULT_ASSIGNMENT_CACHE_TICKETS, realtimePriority);
    }

    private RealEngine(Path model, Path rules, Path dataDir, Path tokenFile, Router router, int assignmentCacheTickets,
                       int realtimePriority) throws Exception {
        tokens = tokenFile.toFile().exists() ? readTokens(tokenFile) : AccessTokens.create(tokenFile, new SecureRandom());
        TicketClassifier classifier = ClassifierModel.load(model);
        pipeline = Pipeline.start(new PipelineConfig().dataDir(dataDir).modelDir(model).rulesFile(rules)
                .keepRecoveredTicketIds(true).realtimePriority(realtimePriority)
                .waitKind(realtimePriority > 0 ? WaitKind.BLOCKING_PARK : WaitKind.BLOCKING),
                classifier, router);
        port = new PipelineIntakePort(pipeline, classifier, rules, TicketParser.DEFAULT_MAX_TEXT_BYTES,
                assignmentCacheTickets);
        server = new VoxRouteServer(ServeConfig.defaults().withPort(0).withDataDir(dataDir).withTokenFile(tokenFile)
                .withRealtimePriority(realtimePriority), port, AccessTokens.load(tokenFile)).start();
        base = server.baseUri();
    }

    /** The tokens of an existing token file (a restart on the same files), by role. */
    private static Map<Role, String> readTokens(Path tokenFile) throws java.io.IOException {
        Map<Role, String> byRole = new java.util.EnumMap<>(Role.class);
        for (String line : java.nio.file.Files.readAllLines(tokenFile)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                byRole.put(Role.valueOf(line.substring(0, eq).trim().toUpperCase(java.util.Locale.ROOT)),
                        line.substring(eq + 1).trim());
            }
        }
        return byRole;
    }

    HttpResponse<String> send(String method, String path, String token, String contentType, String body,
                              String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        port.close();
        pipeline.close();
    }

}
