package com.voxroute.routing;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two intake threads publish 10,000 tickets at once into a multi-producer Disruptor ring; one handler (the
 * single writer) routes them in sequence order into a 4-queue department.
 */
class RoundRobinUnderConcurrentIntakeTest {

    static final String RULES = """
            name: four
            triage: { department: triage, minConfidence: 0.1 }
            sla: { P1: 60, P2: 240, P3: 480, P4: 1440 }
            calendars:
              always: { zone: UTC, weekly: { mon-sun: "00:00-24:00" } }
            departments:
              - id: four
                calendar: always
                queues:
                  - { id: f1, capacity: 2500 }
                  - { id: f2, capacity: 2500 }
                  - { id: f3, capacity: 2500 }
                  - { id: f4, capacity: 2500 }
              - id: triage
                calendar: always
                queues: [ { id: t1, capacity: unlimited } ]
            rules:
              - id: four
                then: { department: four }
            """;

    static final class Slot {
        String ticketId;
        long receivedAtEpochMillis;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void noQueueGetsTwoConsecutiveTicketsUnlessTheOthersAreFull() throws Exception {
        CapacityAwareRouter router = CapacityAwareRouter.fromYaml(RULES, "four.yaml");
        int perProducer = 5_000;
        int total = 2 * perProducer;
        List<RoutingDecision> decisions = new ArrayList<>(total);
        CountDownLatch done = new CountDownLatch(total);
        Disruptor<Slot> disruptor = new Disruptor<>(Slot::new, 1024, r -> {
            Thread t = new Thread(r, "test-route-handler");
            t.setDaemon(true);
            return t;
        }, ProducerType.MULTI, new BlockingWaitStrategy());
        disruptor.handleEventsWith((slot, sequence, endOfBatch) -> {
            decisions.add(router.route(new RoutingRequest(slot.ticketId, sequence, slot.receivedAtEpochMillis,
                    "app", "standard", "uk", "en", "text", "any", 0.9, false, List.of())));
            done.countDown();
        });
        disruptor.start();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            String prefix = "p" + p + "-";
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    int n = i;
                    disruptor.getRingBuffer().publishEvent((slot, seq) -> {
                        slot.ticketId = prefix + n;
                        slot.receivedAtEpochMillis = RoutingFixtures.T0 + n;
                    });
                }
            }, "test-intake-" + p);
            producers.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : producers) {
            t.join();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        disruptor.shutdown(10, TimeUnit.SECONDS);

        assertThat(decisions).hasSize(total);
        int[] open = new int[4];
        String previous = null;
        int violations = 0;
        for (RoutingDecision d : decisions) {
            assertThat(d.queue()).isNotNull();
            int q = d.queue().charAt(1) - '1';
            if (d.queue().equals(previous)) {
                boolean othersFull = true;
                for (int k = 0; k < 4; k++) {
                    othersFull &= k == q || open[k] >= 2500;
                }
                if (!othersFull) {
                    violations++;
                }
            }
            open[q]++;
            previous = d.queue();
        }
        assertThat(violations).isZero();
        assertThat(open).containsExactly(2500, 2500, 2500, 2500);
        assertThat(decisions.stream().map(RoutingDecision::ticketId).distinct().count()).isEqualTo(total);
    }
}
