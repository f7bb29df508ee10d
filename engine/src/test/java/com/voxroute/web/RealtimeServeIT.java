package com.voxroute.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve --realtime-priority N} on the real engine: the threads a request passes through (Jetty's
 * {@code voxroute-http-N}, {@code voxroute-journal}, {@code voxroute-stages}, {@code voxroute-web-view}) run under
 * {@code SCHED_FIFO} at N, the others ({@code voxroute-stats}) do not, and a ticket is still answered; where the OS
 * refuses {@code SCHED_FIFO} (no root, no {@code CAP_SYS_NICE}, {@code ulimit -r} below N), the engine does not
 * start and says why. The kernel's account of each thread is read from {@code /proc/self/task/TID/stat}.
 */
@Timeout(120)
class RealtimeServeIT {

    private static final int PRIORITY = 1;

    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = Fixtures.trainTinyModel(shared);
    }

    @Test
    void theRequestPathsThreadsRunUnderSchedFifoAndATicketIsAnswered() throws Exception {
        if (!com.voxroute.pipeline.RealtimeThreadsAccess.fifoAllowed(PRIORITY)) {
            assertThatThrownBy(() -> RealEngine.realtime(model, Fixtures.banking77Rules(), dir.resolve("data"),
                    dir.resolve("tokens"), PRIORITY)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("realtimePriority=1").hasMessageContaining("EPERM");
            assertThat(dir.resolve("data")).as("nothing written before the refusal").doesNotExist();
            return;
        }
        try (RealEngine e = RealEngine.realtime(model, Fixtures.banking77Rules(), dir.resolve("data"),
                dir.resolve("tokens"), PRIORITY)) {
            Map<String, int[]> compilers = new LinkedHashMap<>(threadsByName());
            compilers.keySet().removeIf(n -> !n.startsWith("C1 CompilerThre") && !n.startsWith("C2 CompilerThre"));
            assertThat(compilers).as("the JIT's threads, so that it is not starved while the code is interpreted")
                    .isNotEmpty().allSatisfy((n, p) -> assertThat(p).containsExactly(1, PRIORITY));
            HttpResponse<String> r = e.send("POST", "v1/tickets?wait=true", e.tokens.get(Role.INTAKE),
                    "application/json", "{\"ticketId\":\"rt-1\",\"text\":\"my card has not arrived\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(r.body()).at("/assignment/department").asText()).isNotBlank();

            Map<String, int[]> threads = threadsByName();
            for (String name : new String[]{"voxroute-journa", "voxroute-stages", "voxroute-web-vi"}) {
                assertThat(threads).as(name).containsKey(name);
                assertThat(threads.get(name)).as(name + ": policy SCHED_FIFO (1), rt_priority")
                        .containsExactly(1, PRIORITY);
            }
            long http = threads.entrySet().stream().filter(t -> t.getKey().startsWith("voxroute-http-")).peek(t ->
                    assertThat(t.getValue()).as(t.getKey()).containsExactly(1, PRIORITY)).count();
            assertThat(http).as("Jetty's request threads").isPositive();
            assertThat(threads.get("voxroute-stats")).as("not on a request's path: normal policy")
                    .containsExactly(0, 0);
        } finally {
            com.voxroute.pipeline.RealtimeThreadsAccess.restoreCompilerThreads();
        }
    }

    /** Live threads of this JVM by {@code comm} (15 characters at most), each with {policy, rt_priority}. */
    private static Map<String, int[]> threadsByName() throws IOException {
        Map<String, int[]> byName = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    byName.put(Files.readString(task.resolve("comm")).strip(),
                            com.voxroute.pipeline.RealtimeThreadsAccess.policyAndPriority(task.resolve("stat")));
                } catch (NoSuchFileException gone) {
                    // ended meanwhile
                }
            }
        }
        return byName;
    }
}
