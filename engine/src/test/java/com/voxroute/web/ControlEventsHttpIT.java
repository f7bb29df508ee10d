package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.journal.ControlEventDecoder;
import com.voxroute.journal.Journal;
import com.voxroute.journal.RecordType;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.Refusal;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingDecision;
import com.voxroute.routing.RoutingRequest;
import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ticket events, department changes and rules uploads over real HTTP against the real engine: what the router
 * would refuse is refused before it is journaled, with a code and a message that say why, and the journal holds only
 * what was accepted.
 */
@Timeout(120)
class ControlEventsHttpIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = Fixtures.trainTinyModel(shared);
    }

    /** @return the control events in the intake journal, in order */
    private static List<ControlEvent> journaledControls(RealEngine e) {
        List<ControlEvent> out = new ArrayList<>();
        Journal.read(e.pipeline.journal().intake(), -1, (index, type, buffer, length) -> {
            if (type == RecordType.CONTROL_EVENT) {
                out.add(ControlEventDecoder.decode(buffer, 0, length));
            }
            return true;
        });
        return out;
    }

    @Test
    void aTicketEventTheTicketsStatusRefusesIs409InvalidTransitionAndIsNotJournaled() throws Exception {
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), dir.resolve("data"), dir.resolve("t"))) {
            String intake = e.tokens.get(Role.INTAKE);
            HttpResponse<String> t = e.send("POST", "v1/tickets?wait=true", intake, "application/json",
                    "{\"ticketId\":\"c-1\",\"text\":\"my card has not arrived\"}");
            assertThat(t.statusCode()).as(t.body()).isEqualTo(200);

            HttpResponse<String> reopenOpen = postEvent(e, "c-1", "{\"type\":\"reopened\"}");
            assertThat(reopenOpen.statusCode()).as(reopenOpen.body()).isEqualTo(409);
            assertThat(JSON.readTree(reopenOpen.body()).get("code").asText()).isEqualTo("INVALID_TRANSITION");
            assertThat(JSON.readTree(reopenOpen.body()).get("field").asText()).isEqualTo("type");
            assertThat(journaledControls(e)).isEmpty();

            // eight clients resolve the same open ticket at once: one is accepted, the others are refused
            int clients = 8;
            ExecutorService pool = Executors.newFixedThreadPool(clients, Thread.ofPlatform().name("resolver-", 0).factory());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return postEvent(e, "c-1", "{\"type\":\"resolved\"}");
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : replies) {
                HttpResponse<String> r = f.get();
                statuses.add(r.statusCode());
                if (r.statusCode() == 202) {
                    assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("accepted");
                } else {
                    assertThat(JSON.readTree(r.body()).get("code").asText()).as(r.body()).isEqualTo("INVALID_TRANSITION");
                }
            }
            pool.shutdown();
            assertThat(statuses).containsOnly(202, 409).filteredOn(s -> s == 202).hasSize(1);
            assertThat(journaledControls(e)).extracting(ControlEvent::type).containsExactly(ControlEvent.Type.RESOLVED);

            HttpResponse<String> transferResolved = postEvent(e, "c-1",
                    "{\"type\":\"transferred\",\"department\":\"fraud-security\"}");
            assertThat(transferResolved.statusCode()).as(transferResolved.body()).isEqualTo(409);
            HttpResponse<String> reopen = postEvent(e, "c-1", "{\"type\":\"reopened\"}");
            assertThat(reopen.statusCode()).as(reopen.body()).isEqualTo(202);
            assertThat(JSON.readTree(reopen.body()).get("status").asText()).isEqualTo("accepted");
            assertThat(journaledControls(e)).extracting(ControlEvent::type)
                    .containsExactly(ControlEvent.Type.RESOLVED, ControlEvent.Type.REOPENED);
            assertThat(e.pipeline.stats().controlRejected()).isZero();
        }
    }

    @Test
    void aDepartmentCapacityWithoutAQueueIsSplitOverItsQueuesAndAnUnknownQueueIsRefusedBeforeTheJournal()
            throws Exception {
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), dir.resolve("data"), dir.resolve("t"))) {
            String admin = e.tokens.get(Role.ADMIN);
            HttpResponse<String> unknownQueue = e.send("PUT", "v1/departments", admin, "application/json",
                    "{\"id\":\"triage\",\"queue\":\"nope\",\"capacity\":5}");
            assertThat(unknownQueue.statusCode()).as(unknownQueue.body()).isEqualTo(422);
            assertThat(JSON.readTree(unknownQueue.body()).get("code").asText()).isEqualTo("UNKNOWN_QUEUE");
            assertThat(JSON.readTree(unknownQueue.body()).get("field").asText()).isEqualTo("queue");
            assertThat(journaledControls(e)).isEmpty();

            JsonNode before = department(e, "triage");
            List<String> queues = new ArrayList<>();
            before.get("queues").forEach(q -> queues.add(q.asText()));
            assertThat(queues).isNotEmpty();

            HttpResponse<String> total = e.send("PUT", "v1/departments", admin, "application/json",
                    "{\"departments\":[{\"id\":\"triage\",\"capacity\":1000000}]}");
            assertThat(total.statusCode()).as(total.body()).isEqualTo(202);
            JsonNode events = JSON.readTree(total.body()).get("events");
            assertThat(events).hasSize(queues.size());
            events.forEach(ev -> assertThat(ev.get("status").asText()).as(total.body()).isEqualTo("accepted"));
            assertThat(department(e, "triage").get("capacity").asLong()).isEqualTo(1_000_000);
            List<ControlEvent> journaled = journaledControls(e);
            assertThat(journaled).extracting(ControlEvent::queue).containsExactlyElementsOf(queues);
            assertThat(journaled.stream().mapToLong(ControlEvent::value).sum()).isEqualTo(1_000_000);
            assertThat(e.pipeline.stats().controlRejected()).isZero();
        }
    }

    @Test
    void aBodyNamingOneDepartmentTwiceIs422DuplicateDepartmentAndNothingOfItIsJournaled() throws Exception {
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), dir.resolve("data"), dir.resolve("t"))) {
            String admin = e.tokens.get(Role.ADMIN);
            long capacityBefore = department(e, "triage").get("capacity").asLong();
            HttpResponse<String> twice = e.send("PUT", "v1/departments", admin, "application/json",
                    "[{\"id\":\"triage\",\"capacity\":3},{\"id\":\"fraud-security\",\"available\":false},"
                            + "{\"id\":\"triage\",\"capacity\":7}]");
            assertThat(twice.statusCode()).as(twice.body()).isEqualTo(422);
            JsonNode error = JSON.readTree(twice.body());
            assertThat(error.get("code").asText()).isEqualTo("DUPLICATE_DEPARTMENT");
            assertThat(error.get("field").asText()).isEqualTo("[2].id");
            assertThat(error.get("message").asText()).as("names both updates")
                    .startsWith("update 2 names department triage, which update 0 already names");

            String queue = department(e, "triage").get("queues").get(0).asText();
            HttpResponse<String> sameQueue = e.send("PUT", "v1/departments", admin, "application/json",
                    "{\"departments\":[{\"id\":\"triage\",\"queue\":\"" + queue + "\",\"capacity\":3},"
                            + "{\"id\":\"triage\",\"queue\":\"" + queue + "\",\"available\":false}]}");
            assertThat(sameQueue.statusCode()).as(sameQueue.body()).isEqualTo(422);
            assertThat(JSON.readTree(sameQueue.body()).get("code").asText()).isEqualTo("DUPLICATE_DEPARTMENT");
            assertThat(JSON.readTree(sameQueue.body()).get("field").asText()).isEqualTo("[1].queue");

            assertThat(journaledControls(e)).isEmpty();
            assertThat(department(e, "triage").get("capacity").asLong()).isEqualTo(capacityBefore);
            assertThat(department(e, "fraud-security").get("available").asBoolean()).isTrue();

            HttpResponse<String> distinct = e.send("PUT", "v1/departments", admin, "application/json",
                    "[{\"id\":\"triage\",\"capacity\":3},{\"id\":\"fraud-security\",\"available\":false}]");
            assertThat(distinct.statusCode()).as(distinct.body()).isEqualTo(202);
        }
    }

    @Test
    void aCapacityOfMinusOneResetsADepartmentToUnlimitedDrainsItsBacklogAndSurvivesARestart() throws Exception {
        Path data = dir.resolve("data");
        String department;
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), data, dir.resolve("t"))) {
            String admin = e.tokens.get(Role.ADMIN);
            HttpResponse<String> first = submitAssigned(e, "u-1");
            department = JSON.readTree(first.body()).get("assignment").get("department").asText();

            HttpResponse<String> zero = e.send("PUT", "v1/departments", admin, "application/json",
                    "{\"id\":\"" + department + "\",\"capacity\":0}");
            assertThat(zero.statusCode()).as(zero.body()).isEqualTo(202);
            assertThat(department(e, department).get("capacity").asLong()).isZero();
            HttpResponse<String> second = e.send("POST", "v1/tickets", e.tokens.get(Role.INTAKE), "application/json",
                    "{\"ticketId\":\"u-2\",\"text\":\"my card has not arrived\"}");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
            assertThat(departmentSoon(e, department, "backlog", 1)).as("waits for capacity").isEqualTo(1);

            HttpResponse<String> unlimited = e.send("PUT", "v1/departments", admin, "application/json",
                    "{\"id\":\"" + department + "\",\"capacity\":-1}");
            assertThat(unlimited.statusCode()).as(unlimited.body()).isEqualTo(202);
            JSON.readTree(unlimited.body()).get("events").forEach(ev ->
                    assertThat(ev.get("value").asLong()).as(unlimited.body()).isEqualTo(-1));
            assertThat(department(e, department).get("capacity").asLong()).as("unlimited, as GET shows it").isEqualTo(-1);
            assertThat(departmentSoon(e, department, "backlog", 0)).as("the backlog drains").isZero();
            assertThat(journaledControls(e)).filteredOn(c -> c.value() == Long.MAX_VALUE)
                    .as("the router's unlimited is journaled").isNotEmpty();
            assertThat(e.pipeline.stats().controlRejected()).isZero();

            HttpResponse<String> below = e.send("PUT", "v1/departments", admin, "application/json",
                    "{\"id\":\"" + department + "\",\"capacity\":-2}");
            assertThat(below.statusCode()).as(below.body()).isEqualTo(422);
            assertThat(JSON.readTree(below.body()).get("code").asText()).isEqualTo("INVALID_VALUE");
        }
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), data, dir.resolve("t"))) {
            assertThat(department(e, department).get("capacity").asLong()).as("after a restart").isEqualTo(-1);
        }
    }

    @Test
    void validRulesTheJournalCannotTakeAre503UnavailableWithRetryAfterNot422RulesInvalid() throws Exception {
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), dir.resolve("data"), dir.resolve("t"))) {
            String yaml = java.nio.file.Files.readString(Fixtures.banking77Rules());
            e.pipeline.close(); // intake stopped: the reload cannot be journaled (as when the journal never answers)
            HttpResponse<String> r = e.send("PUT", "v1/rules", e.tokens.get(Role.ADMIN), "application/yaml", yaml);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("UNAVAILABLE");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(r.body()).doesNotContain("RULES_INVALID", "ticket");
        }
    }

    /** Polls {@code GET /v1/departments} until {@code field} of {@code id} is {@code expected} (at most 5 s). */
    private static long departmentSoon(RealEngine e, String id, String field, long expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long value = department(e, id).get(field).asLong();
        while (value != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = department(e, id).get(field).asLong();
        }
        return value;
    }

    @Test
    void anEmptyOrDeeplyNestedRulesUploadIsRefusedWithAShortMessageOfOurOwnAndNoUnknownLine() throws Exception {
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), dir.resolve("data"), dir.resolve("t"))) {
            String admin = e.tokens.get(Role.ADMIN);
            HttpResponse<String> empty = e.send("PUT", "v1/rules", admin, "application/yaml", "");
            assertThat(empty.statusCode()).as(empty.body()).isEqualTo(422);
            JsonNode eb = JSON.readTree(empty.body());
            assertThat(eb.get("code").asText()).isEqualTo("RULES_INVALID");
            assertThat(eb.has("line")).as(empty.body()).isFalse();
            assertThat(eb.get("reason").asText()).isEqualTo("empty rules file");

            String deep = "rules: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
            HttpResponse<String> nested = e.send("PUT", "v1/rules", admin, "application/yaml", deep);
            assertThat(nested.statusCode()).as(nested.body()).isEqualTo(422);
            JsonNode nb = JSON.readTree(nested.body());
            assertThat(nb.get("reason").asText()).isEqualTo("nested deeper than 64 levels of mappings and lists");
            assertThat(nb.get("line").asInt()).isEqualTo(1);
            assertThat(nested.body()).doesNotContain("StreamReadConstraints").doesNotContain("Jackson");
            assertThat(journaledControls(e)).isEmpty();
        }
    }

    @Test
    void departmentChangesAreCheckedAgainstTheRulesInForceAfterARulesReload() throws Exception {
        Path rulesFile = Fixtures.banking77Rules();
        String original = java.nio.file.Files.readString(rulesFile);
        String added = original.replace("\nrules:\n", """

                  - id: complaints-desk
                    name: Complaints desk
                    calendar: round-the-clock
                    queues:
                      - { id: cd-1, capacity: 2 }
                      - { id: cd-2, capacity: 2 }
                rules:
                """);
        assertThat(added).contains("id: complaints-desk");
        try (RealEngine e = new RealEngine(model, rulesFile, dir.resolve("data"), dir.resolve("t"))) {
            String admin = e.tokens.get(Role.ADMIN);
            String capacity6 = "{\"id\":\"complaints-desk\",\"capacity\":6}";
            HttpResponse<String> before = e.send("PUT", "v1/departments", admin, "application/json", capacity6);
            assertThat(before.statusCode()).as(before.body()).isEqualTo(422);
            assertThat(JSON.readTree(before.body()).get("code").asText()).isEqualTo("UNKNOWN_DEPARTMENT");
            submitAssigned(e, "m-1");

            HttpResponse<String> reload = e.send("PUT", "v1/rules", admin, "application/yaml", added);
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(202);
            JsonNode desk = department(e, "complaints-desk");
            assertThat(desk.get("capacity").asLong()).isEqualTo(4);
            assertThat(desk.get("queues").toString()).isEqualTo("[\"cd-1\",\"cd-2\"]");

            HttpResponse<String> put = e.send("PUT", "v1/departments", admin, "application/json", capacity6);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
            JSON.readTree(put.body()).get("events").forEach(ev ->
                    assertThat(ev.get("status").asText()).as(put.body()).isEqualTo("accepted"));
            assertThat(department(e, "complaints-desk").get("capacity").asLong()).isEqualTo(6);
            HttpResponse<String> badQueue = e.send("PUT", "v1/departments", admin, "application/json",
                    "{\"id\":\"complaints-desk\",\"queue\":\"cd-9\",\"capacity\":1}");
            assertThat(badQueue.statusCode()).as(badQueue.body()).isEqualTo(422);
            assertThat(JSON.readTree(badQueue.body()).get("code").asText()).isEqualTo("UNKNOWN_QUEUE");
            assertThat(JSON.readTree(badQueue.body()).get("message").asText()).contains("cd-1, cd-2");
            HttpResponse<String> transfer = postEvent(e, "m-1",
                    "{\"type\":\"transferred\",\"department\":\"complaints-desk\"}");
            assertThat(transfer.statusCode()).as(transfer.body()).isEqualTo(202);
            assertThat(JSON.readTree(transfer.body()).get("status").asText()).isEqualTo("accepted");

            HttpResponse<String> back = e.send("PUT", "v1/rules", admin, "application/yaml", original);
            assertThat(back.statusCode()).as(back.body()).isEqualTo(202);
            HttpResponse<String> gone = e.send("PUT", "v1/departments", admin, "application/json", capacity6);
            assertThat(gone.statusCode()).as(gone.body()).isEqualTo(422);
            assertThat(JSON.readTree(gone.body()).get("code").asText()).isEqualTo("UNKNOWN_DEPARTMENT");
            assertThat(JSON.readTree(gone.body()).get("field").asText()).isEqualTo("id");
            HttpResponse<String> transferGone = postEvent(e, "m-1",
                    "{\"type\":\"transferred\",\"department\":\"complaints-desk\"}");
            assertThat(transferGone.statusCode()).as(transferGone.body()).isEqualTo(422);
            assertThat(JSON.readTree(transferGone.body()).get("code").asText()).isEqualTo("UNKNOWN_DEPARTMENT");
            assertThat(JSON.readTree(transferGone.body()).get("field").asText()).isEqualTo("department");
            HttpResponse<String> list = e.send("GET", "v1/departments", e.tokens.get(Role.VIEWER), null, null);
            assertThat(list.body()).doesNotContain("complaints-desk");

            assertThat(journaledControls(e)).extracting(ControlEvent::type).containsExactly(
                    ControlEvent.Type.RULES_RELOADED, ControlEvent.Type.CAPACITY, ControlEvent.Type.CAPACITY,
                    ControlEvent.Type.TRANSFERRED, ControlEvent.Type.RULES_RELOADED);
            assertThat(e.pipeline.stats().controlRejected()).isZero();
        }
    }

    /**
     * A rules reload that removes the department a waiting ticket is in moves the ticket to the new triage
     * department; when that department is new too, the view must count the moved ticket there. The move's
     * assignment is journaled (and the view thread woken) before the publish thread applies the reload to the
     * view's departments, so a view that looks the department up at once finds nothing and loses the ticket.
     */
    @Test
    void ticketsARulesReloadMovesIntoADepartmentItAddsAreCountedThere() throws Exception {
        Path rulesFile = Fixtures.banking77Rules();
        String original = java.nio.file.Files.readString(rulesFile);
        String renamed = original.replace("department: triage", "department: desk")
                .replace("- id: triage\n", "- id: desk\n").replace("id: triage-1,", "id: desk-1,");
        assertThat(renamed).doesNotContain("department: triage").contains("- id: desk\n");
        try (RealEngine e = new RealEngine(model, rulesFile, dir.resolve("data"), dir.resolve("t"))) {
            String admin = e.tokens.get(Role.ADMIN);
            HttpResponse<String> zero = e.send("PUT", "v1/departments", admin, "application/json",
                    "{\"id\":\"triage\",\"capacity\":0}");
            assertThat(zero.statusCode()).as(zero.body()).isEqualTo(202);
            int tickets = 6;
            for (int i = 0; i < tickets; i++) {
                submitAssigned(e, "w-" + i);
                HttpResponse<String> toTriage = postEvent(e, "w-" + i,
                        "{\"type\":\"transferred\",\"department\":\"triage\"}");
                assertThat(toTriage.statusCode()).as(toTriage.body()).isEqualTo(202);
            }
            assertThat(department(e, "triage").get("backlog").asLong()).isEqualTo(tickets);

            HttpResponse<String> reload = e.send("PUT", "v1/rules", admin, "application/yaml", renamed);
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(202);
            long deadline = System.nanoTime() + 5_000_000_000L;
            long placed;
            do {
                Thread.sleep(50);
                JsonNode desk = department(e, "desk");
                placed = desk.get("load").asLong() + desk.get("backlog").asLong();
            } while (placed < tickets && System.nanoTime() < deadline);
            assertThat(placed).as("tickets the reload moved to the new triage department, as the view counts them")
                    .isEqualTo(tickets);
        }
    }

    /**
     * A ticket resolved as soon as its submission is answered (202 once journaled, before it is routed): the
     * event waits for the route stage to reach the ticket, then is checked and applied; never UNKNOWN_TICKET, never
     * 503, and each ticket's resolve is journaled once.
     */
    @Test
    void aTicketResolvedRightAfterItsSubmissionIsAnsweredIsAcceptedAndApplied() throws Exception {
        try (RealEngine e = new RealEngine(model, Fixtures.banking77Rules(), dir.resolve("data"), dir.resolve("t"))) {
            String intake = e.tokens.get(Role.INTAKE);
            int tickets = 20;
            for (int i = 0; i < tickets; i++) {
                HttpResponse<String> t = e.send("POST", "v1/tickets", intake, "application/json",
                        "{\"ticketId\":\"q-" + i + "\",\"text\":\"my card has not arrived\"}");
                assertThat(t.statusCode()).as(t.body()).isEqualTo(202);
                HttpResponse<String> r = postEvent(e, "q-" + i, "{\"type\":\"resolved\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                assertThat(JSON.readTree(r.body()).get("status").asText()).as(r.body()).isEqualTo("accepted");
            }
            assertThat(journaledControls(e)).hasSize(tickets).extracting(ControlEvent::type)
                    .containsOnly(ControlEvent.Type.RESOLVED);
            assertThat(e.pipeline.stats().controlRejected()).isZero();
            assertThat(totalLoadSoon(e)).as("every ticket resolved: no queue slot held").isZero();
        }
    }

    /**
     * A rules reload that removes the queue an open ticket is in: the router keeps the ticket open in its
     * department but in no queue (it holds no slot of the new queues), so the department's load must not count it.
     */
    @Test
    void anOpenTicketWhoseQueueARulesReloadRemovesNoLongerCountsAsLoad() throws Exception {
        Path rulesFile = Fixtures.banking77Rules();
        String original = java.nio.file.Files.readString(rulesFile);
        String renamed = original.replace("{ id: cards-1,", "{ id: cards-a,").replace("{ id: cards-2,", "{ id: cards-b,");
        assertThat(renamed).doesNotContain("cards-1").doesNotContain("cards-2");
        try (RealEngine e = new RealEngine(model, rulesFile, dir.resolve("data"), dir.resolve("t"))) {
            submitAssigned(e, "o-1");
            HttpResponse<String> move = postEvent(e, "o-1",
                    "{\"type\":\"transferred\",\"department\":\"card-issuance-delivery\"}");
            assertThat(move.statusCode()).as(move.body()).isEqualTo(202);
            assertThat(loadSoon(e, "card-issuance-delivery", 1)).isEqualTo(1);

            HttpResponse<String> reload = e.send("PUT", "v1/rules", e.tokens.get(Role.ADMIN), "application/yaml",
                    renamed);
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(202);
            assertThat(loadSoon(e, "card-issuance-delivery", 0))
                    .as("the ticket's queue is gone: the router holds it in none of the department's queues")
                    .isZero();
            HttpResponse<String> resolve = postEvent(e, "o-1", "{\"type\":\"resolved\"}");
            assertThat(resolve.statusCode()).as(resolve.body()).isEqualTo(202);
            assertThat(totalLoadSoon(e)).as("and resolving it takes nothing out twice").isZero();
        }
    }

    /**
     * SLA at risk is counted per department in force: a rules reload that keeps a department keeps counting the
     * tickets placed in it before the reload whose deadline is near.
     */
    @Test
    void slaAtRiskStillCountsTicketsPlacedBeforeARulesReloadThatKeepsTheirDepartment() throws Exception {
        String shortSla = java.nio.file.Files.readString(Fixtures.banking77Rules()).replace("P2: 240", "P2: 30")
                .replace("P3: 480", "P3: 30").replace("P4: 1440", "P4: 30");
        assertThat(shortSla).contains("P3: 30");
        Path rulesFile = dir.resolve("short-sla.yaml");
        java.nio.file.Files.writeString(rulesFile, shortSla);
        try (RealEngine e = new RealEngine(model, rulesFile, dir.resolve("data"), dir.resolve("t"))) {
            submitAssigned(e, "s-1");
            HttpResponse<String> move = postEvent(e, "s-1", "{\"type\":\"transferred\",\"department\":\"triage\"}");
            assertThat(move.statusCode()).as(move.body()).isEqualTo(202);
            assertThat(loadSoon(e, "triage", 1)).isEqualTo(1);
            assertThat(department(e, "triage").get("slaAtRisk").asLong()).as("due within 30 min").isEqualTo(1);

            HttpResponse<String> reload = e.send("PUT", "v1/rules", e.tokens.get(Role.ADMIN), "application/yaml",
                    shortSla.replace("name: banking77", "name: banking77-b"));
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(202);
            assertThat(department(e, "triage").get("load").asLong()).isEqualTo(1);
            assertThat(department(e, "triage").get("slaAtRisk").asLong()).as("after the reload").isEqualTo(1);
        }
    }

    /** Submits a card-delivery ticket as intake with {@code ?wait=true}, asserts it was assigned (200); returns the reply. */
    private static HttpResponse<String> submitAssigned(RealEngine e, String ticketId) throws Exception {
        HttpResponse<String> r = e.send("POST", "v1/tickets?wait=true", e.tokens.get(Role.INTAKE), "application/json",
                "{\"ticketId\":\"" + ticketId + "\",\"text\":\"my card has not arrived\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    /** Posts one ticket event (a JSON body) as intake. */
    private static HttpResponse<String> postEvent(RealEngine e, String ticketId, String eventJson) throws Exception {
        return e.send("POST", "v1/tickets/" + ticketId + "/events", e.tokens.get(Role.INTAKE), "application/json",
                eventJson);
    }

    /** @return the department's load once it equals {@code expected}, or what it is after 5 s */
    private static long loadSoon(RealEngine e, String department, long expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long load;
        while ((load = department(e, department).get("load").asLong()) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return load;
    }

    /** The real router, except that it does not check ahead (the {@link Router#check} default): refusals come after the journal. */
    private static Router checkingNothingAhead(Path rules) {
        CapacityAwareRouter real = CapacityAwareRouter.fromYaml(rules);
        return new Router() {
            @Override
            public RoutingDecision route(RoutingRequest request) {
                return real.route(request);
            }

            @Override
            public List<RoutingDecision> apply(ControlEvent event) {
                return real.apply(event);
            }

            @Override
            public String expectedDepartment(RoutingRequest request) {
                return real.expectedDepartment(request);
            }

            @Override
            public String rulesVersion() {
                return real.rulesVersion();
            }
        };
    }

    @Test
    void aRefusalFoundOnlyAfterTheJournalIs202RefusedWithTheRoutersTypedCodeAndARestartSkipsIt() throws Exception {
        Path rules = Fixtures.banking77Rules();
        Path data = dir.resolve("data");
        try (RealEngine e = new RealEngine(model, rules, data, dir.resolve("t"), checkingNothingAhead(rules))) {
            submitAssigned(e, "late-1");
            HttpResponse<String> first = postEvent(e, "late-1", "{\"type\":\"resolved\"}");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            assertThat(JSON.readTree(first.body()).get("status").asText()).isEqualTo("accepted");

            HttpResponse<String> again = postEvent(e, "late-1", "{\"type\":\"resolved\"}");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
            JsonNode body = JSON.readTree(again.body());
            assertThat(body.get("status").asText()).isEqualTo("refused");
            assertThat(body.get("code").asText()).isEqualTo("INVALID_TRANSITION");
            assertThat(body.get("message").asText()).startsWith("journaled, but the router refused it, so it changed"
                    + " nothing: ").contains("ticket already resolved: late-1");
            assertThat(body.get("journalIndex").asLong()).isGreaterThan(JSON.readTree(first.body()).get("journalIndex").asLong());

            HttpResponse<String> capacity = e.send("PUT", "v1/departments", e.tokens.get(Role.ADMIN),
                    "application/json", "{\"id\":\"triage\",\"queue\":\"" + department(e, "triage").get("queues")
                            .get(0).asText() + "\",\"capacity\":3}");
            assertThat(capacity.statusCode()).as(capacity.body()).isEqualTo(202);
            assertThat(journaledControls(e)).extracting(ControlEvent::type).containsExactly(ControlEvent.Type.RESOLVED,
                    ControlEvent.Type.RESOLVED, ControlEvent.Type.CAPACITY);
            assertThat(e.pipeline.stats().controlRejected()).isEqualTo(1);
            assertThat(ticketEvents(e, "late-1")).containsExactly("resolved");
            assertThat(totalLoadSoon(e)).as("the resolved ticket holds no queue slot").isZero();
        }
        // on restart, recovery re-applies the journal: the refused event is refused again, with the same code, and
        // the port's view skips it instead of judging it itself
        try (RealEngine e = new RealEngine(model, rules, data, dir.resolve("t"))) {
            assertThat(e.pipeline.recovery().refusedControls().values()).extracting(Refusal::code)
                    .containsExactly(Refusal.Code.INVALID_TRANSITION);
            assertThat(ticketEvents(e, "late-1")).containsExactly("resolved");
            assertThat(totalLoadSoon(e)).as("after a restart too").isZero();
            HttpResponse<String> reopen = e.send("POST", "v1/tickets/late-1/events", e.tokens.get(Role.INTAKE),
                    "application/json", "{\"type\":\"reopened\"}");
            assertThat(reopen.statusCode()).as(reopen.body()).isEqualTo(202);
            assertThat(JSON.readTree(reopen.body()).get("status").asText()).isEqualTo("accepted");
            assertThat(totalLoadSoon(e)).as("the reopened ticket is back in a queue").isEqualTo(1);
            HttpResponse<String> transferNowhere = e.send("POST", "v1/tickets/late-1/events", e.tokens.get(Role.INTAKE),
                    "application/json", "{\"type\":\"transferred\",\"department\":\"nowhere\"}");
            assertThat(transferNowhere.statusCode()).as(transferNowhere.body()).isEqualTo(422);
            assertThat(JSON.readTree(transferNowhere.body()).get("code").asText()).isEqualTo("UNKNOWN_DEPARTMENT");
            assertThat(JSON.readTree(transferNowhere.body()).get("field").asText()).isEqualTo("department");
        }
    }

    /**
     * @return the sum of every department's load in {@code GET /v1/departments} once the view has read every
     *         assignment journaled so far (it follows the journal on its own thread)
     */
    private static long totalLoadSoon(RealEngine e) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!e.port.assignmentListenersLive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200); // the view thread is woken by each assignment; give it time to read the last ones
        long load = 0;
        HttpResponse<String> g = e.send("GET", "v1/departments", e.tokens.get(Role.VIEWER), null, null);
        for (JsonNode d : JSON.readTree(g.body()).get("departments")) {
            load += d.get("load").asLong();
        }
        return load;
    }

    /** @return the ticket's events as {@code GET /v1/tickets/{id}} lists them */
    private static List<String> ticketEvents(RealEngine e, String id) throws Exception {
        HttpResponse<String> g = e.send("GET", "v1/tickets/" + id, e.tokens.get(Role.VIEWER), null, null);
        List<String> out = new ArrayList<>();
        JSON.readTree(g.body()).get("events").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode department(RealEngine e, String id) throws Exception {
        HttpResponse<String> g = e.send("GET", "v1/departments", e.tokens.get(Role.VIEWER), null, null);
        for (JsonNode d : JSON.readTree(g.body()).get("departments")) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        throw new AssertionError("no department " + id + " in " + g.body());
    }
}
