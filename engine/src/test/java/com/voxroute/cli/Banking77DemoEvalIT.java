package com.voxroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.intake.DataLocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The demo path on Banking77 dev (issue 2's accuracy floor): trains on train (or reuses the model cached under the
 * repository's {@code .voxroute/}), routes all 1,003 dev tickets with {@code replay-data/banking77/rules.yaml}.
 */
@Tag("eval")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class Banking77DemoEvalIT {

    @TempDir
    Path dir;

    @Test
    void banking77DevIsAllAssignedOnceWithCategoryAccuracyAtLeast088AndDepartmentAccuracyAtLeast093()
            throws IOException {
        DataLocator locator = DataLocator.fromEnvironment();
        if (locator.dataset("banking77").isEmpty()) {
            fail("eval needs the Banking77 data set: " + locator.notFoundMessage("banking77"));
        }
        CliRun r = CliRun.of("demo", "--no-serve", "--data-dir", dir.resolve("data").toString(), "--summary-json",
                dir.resolve("summary.json").toString());
        System.out.println(r.out());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(s.get("tickets").asLong()).isEqualTo(1003);
        assertThat(s.get("assigned").asLong()).isEqualTo(1003);
        assertThat(s.get("rejected").asLong()).isZero();
        assertThat(s.get("duplicates").asLong()).isZero();
        assertThat(s.get("categoryAccuracy").asDouble()).isGreaterThanOrEqualTo(0.88);
        assertThat(s.get("departmentAccuracy").asDouble()).isGreaterThanOrEqualTo(0.93);
        assertThat(s.get("latencyMicros").get("count").asLong()).isEqualTo(1003);
    }
}
