package com.voxroute.bench;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingDecision;
import com.voxroute.routing.RoutingRequest;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Test doubles for the harness tests: a classifier that can stall once, and a one-rule router. */
final class StubComponents {

    private StubComponents() {
    }

    /** Classifies everything as {@code card_arrival}; stalls 50 ms on the text containing {@code stallMarker}. */
    static final class StallingClassifier implements TicketClassifier {
        private final String stallMarker;
        private volatile boolean stalled;

        StallingClassifier(String stallMarker) {
            this.stallMarker = stallMarker;
        }

        @Override
        public Classification classify(String text) {
            if (stallMarker != null && !stalled && text.contains(stallMarker)) {
                stalled = true;
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                while (System.nanoTime() < until) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
            }
            return new Classification("card_arrival", 0.9, false, null,
                    List.of(new Classification.CategoryScore("card_arrival", 0.9)), List.of(), "en",
                    Classification.Explanation.NONE);
        }

        @Override
        public String modelVersion() {
            return "stub@1";
        }

        @Override
        public List<String> categories() {
            return List.of("card_arrival");
        }
    }

    /** Routes every ticket to {@code cards}, P3. */
    static final class OneRuleRouter implements Router {
        @Override
        public RoutingDecision route(RoutingRequest r) {
            return new RoutingDecision(r.ticketId(), "cards", "cards-1", "P3", r.receivedAtEpochMillis() + 3_600_000,
                    "stub-rule", "stub@1", "stub", false, false);
        }

        @Override
        public List<RoutingDecision> apply(ControlEvent event) {
            return List.of();
        }

        @Override
        public String expectedDepartment(RoutingRequest request) {
            return "cards";
        }

        @Override
        public String rulesVersion() {
            return "stub@1";
        }
    }
}
