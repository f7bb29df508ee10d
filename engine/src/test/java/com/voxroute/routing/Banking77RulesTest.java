package com.voxroute.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class Banking77RulesTest {

    static Path repoRoot() {
        String root = System.getProperty("voxroute.repo.root");
        if (root != null) {
            return Path.of(root);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("replay-data"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("..") : p;
    }

    static Path rulesFile() {
        return repoRoot().resolve("replay-data/banking77/rules.yaml");
    }

    static Path dataDir() {
        String env = System.getenv("VOXROUTE_DATA");
        return env != null ? Path.of(env) : repoRoot().resolve("../shared/data").normalize();
    }

    static RoutingRequest labelled(String id, String category) {
        return new RoutingRequest(id, 0, 1_764_500_000_000L, "app", "standard", "uk", "en", "text", category, 1.0,
                false, List.of());
    }

    @Test
    void banking77RulesLoadAndEveryDeclaredCategoryReachesADepartmentOtherThanTriage() {
        CapacityAwareRouter router = CapacityAwareRouter.fromYaml(rulesFile());
        RulesConfig config = CapacityAwareRouter.parseFile(rulesFile());
        assertThat(config.categories()).hasSize(77).contains("reverted_card_payment?", "Refund_not_showing_up");
        for (String category : config.categories()) {
            assertThat(router.expectedDepartment(labelled("t", category))).as(category).isNotEqualTo("triage");
        }
        assertThat(router.rulesVersion()).startsWith("banking77@sha256:");
    }

    @Test
    @Tag("eval")
    void banking77RulesMapEveryTrainingLabelToTheDepartmentOfDepartmentsJson() throws IOException {
        Path dir = dataDir().resolve("banking77");
        if (!Files.exists(dir.resolve("departments.json")) || !Files.exists(dir.resolve("train.jsonl"))) {
            fail("Banking77 data missing in " + dir + ": set VOXROUTE_DATA or run replay-data/fetch-banking77.sh");
        }
        ObjectMapper om = new ObjectMapper();
        Map<String, String> expected = new TreeMap<>();
        for (JsonNode d : om.readTree(dir.resolve("departments.json").toFile()).get("departments")) {
            for (JsonNode intent : d.get("intents")) {
                expected.put(intent.asText(), d.get("id").asText());
            }
        }
        TreeSet<String> labels = new TreeSet<>();
        for (String line : Files.readAllLines(dir.resolve("train.jsonl"))) {
            labels.add(om.readTree(line).get("label").asText());
        }
        assertThat(labels).hasSize(77);
        CapacityAwareRouter router = CapacityAwareRouter.fromYaml(rulesFile());
        for (String label : labels) {
            assertThat(router.expectedDepartment(labelled("t", label))).as(label).isEqualTo(expected.get(label));
        }
        // Every dev ticket is assigned at once (unlimited capacity): route them all, none waits.
        int n = 0;
        for (String line : Files.readAllLines(dir.resolve("dev.jsonl"))) {
            JsonNode j = om.readTree(line);
            RoutingDecision d = router.route(new RoutingRequest(j.get("id").asText(), n++,
                    1_764_500_000_000L + n, "app", "standard", "uk", "en", j.get("text").asText(),
                    j.get("label").asText(), 0.9, false, List.of()));
            assertThat(d.queue()).as(d.toString()).isNotNull();
            assertThat(d.department()).isEqualTo(expected.get(j.get("label").asText()));
        }
        assertThat(n).isEqualTo(1003);
    }
}
