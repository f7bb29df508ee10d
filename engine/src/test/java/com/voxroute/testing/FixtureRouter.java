package com.voxroute.testing;

import com.voxroute.routing.ControlEvent;
import com.voxroute.routing.Router;
import com.voxroute.routing.RoutingDecision;
import com.voxroute.routing.RoutingRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test-only router: category -> department from a table; abstained or unknown -> {@code triage}; text containing
 * {@value #BOOM} throws. Control events: {@code TRANSFERRED} of a routed ticket returns one dispatch of that ticket
 * to the event's department; events naming an unknown department or ticket are refused with
 * IllegalArgumentException; others dispatch nothing. Records the order of calls for assertions. Single-threaded
 * like every Router.
 */
public final class FixtureRouter implements Router {

    /** Text marker that makes {@link #route} throw. */
    public static final String BOOM = "ROUTER-BOOM";
    /** SLA in this router: 4 hours after receipt. */
    public static final long SLA_MILLIS = 4 * 3600_000L;

    private final Map<String, String> departmentByCategory;
    private final List<String> calls = new ArrayList<>();
    private final List<String> routed = new ArrayList<>();

    /** @param departmentByCategory the table */
    public FixtureRouter(Map<String, String> departmentByCategory) {
        this.departmentByCategory = Map.copyOf(departmentByCategory);
    }

    @Override
    public RoutingDecision route(RoutingRequest r) {
        calls.add("route:" + r.ticketId() + "@" + r.sequence());
        if (r.text().contains(BOOM)) {
            throw new IllegalStateException("router exploded on purpose");
        }
        String department = r.abstained() ? null : departmentByCategory.get(r.category());
        routed.add(r.ticketId());
        if (department == null) {
            return new RoutingDecision(r.ticketId(), "triage", "triage-q1", "P3",
                    r.receivedAtEpochMillis() + SLA_MILLIS, "triage-low-confidence", rulesVersion(),
                    "abstained or unknown category", true, false);
        }
        return new RoutingDecision(r.ticketId(), department, department + "-q1", "P3",
                r.receivedAtEpochMillis() + SLA_MILLIS, "cat-" + r.category(), rulesVersion(),
                "category " + r.category(), false, "vip".equals(r.customerTier()));
    }

    @Override
    public List<RoutingDecision> apply(ControlEvent e) {
        calls.add("apply:" + e.type() + ":" + e.ticketId());
        if (e.department() != null && !departmentByCategory.containsValue(e.department())) {
            throw new IllegalArgumentException("unknown department " + e.department());
        }
        if (e.type() == ControlEvent.Type.TRANSFERRED) {
            if (!routed.contains(e.ticketId())) {
                throw new IllegalArgumentException("unknown ticket " + e.ticketId());
            }
            return List.of(new RoutingDecision(e.ticketId(), e.department(), e.department() + "-q1", "P2",
                    e.atEpochMillis() + SLA_MILLIS, "transfer", rulesVersion(), "transferred", false, false));
        }
        return List.of();
    }

    @Override
    public String expectedDepartment(RoutingRequest r) {
        String department = r.abstained() ? null : departmentByCategory.get(r.category());
        return department == null ? "triage" : department;
    }

    @Override
    public String rulesVersion() {
        return "fixture-rules@1";
    }

    /** @return the calls in order ("route:ID@SEQ", "apply:TYPE:ID"); read only after the pipeline closed */
    public List<String> calls() {
        return calls;
    }
}
