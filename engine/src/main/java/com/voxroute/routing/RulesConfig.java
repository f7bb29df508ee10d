package com.voxroute.routing;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated rules file: the immutable model the router compiles. Built only by {@link RulesParser}; the
 * schema is documented in {@code README.md, "Routing rules"}. Collections are unmodifiable and in file
 * order; sets are sorted. Priorities are numbers 1 (P1, most urgent) to 4 (P4).
 *
 * @param name        the rule set's name ({@code name:})
 * @param version     {@code name@sha256:<first 12 hex digits of the SHA-256 of the file's UTF-8 bytes>}
 * @param categories  the declared category vocabulary, or {@code null} when the file declares none
 * @param triage      where uncertain or unmatched tickets go
 * @param defaultPriority the priority of a rule that sets none, 1..4
 * @param calendars   working-hour calendars by id
 * @param departments departments in file order
 * @param rules       rules in file order (first match wins)
 */
record RulesConfig(
        String name,
        String version,
        Set<String> categories,
        Triage triage,
        int defaultPriority,
        Map<String, BusinessCalendar> calendars,
        List<Department> departments,
        List<Rule> rules) {

    /**
     * @param department    the triage department id
     * @param minConfidence a ticket whose confidence is below this (or whose classifier abstained) is triaged
     * @param priority      the priority of triaged tickets, 1..4
     */
    record Triage(String department, double minConfidence, int priority) {
    }

    /**
     * @param id                   department id
     * @param name                 display name (defaults to the id)
     * @param calendar             its working hours
     * @param slaMinutes           business minutes per priority, index 1..4 (index 0 unused)
     * @param overflowDepartment   backup department id, or {@code null}
     * @param overflowAfterMinutes elapsed minutes a ticket waits in the backlog before it overflows, >= 0
     * @param queues               queues (agent groups) in file order, at least one
     * @param line                 line of the department in the file
     */
    record Department(String id, String name, BusinessCalendar calendar, long[] slaMinutes,
                      String overflowDepartment, long overflowAfterMinutes, List<Queue> queues, int line) {
    }

    /**
     * @param id        queue id, unique within its department
     * @param capacity  open tickets at once, >= 0; {@link Long#MAX_VALUE} for {@code unlimited}
     * @param skills    the skills of the agent group, sorted
     * @param available on shift at load time
     */
    record Queue(String id, long capacity, Set<String> skills, boolean available) {
    }

    /**
     * @param id          rule id, unique
     * @param description free text for the decision's reason, may be empty
     * @param when        the conditions (all must hold)
     * @param department  target department id
     * @param queue       pinned queue id inside the department, or {@code null} (any queue)
     * @param priority    1..4
     * @param escalate    mark the decision escalated
     * @param skills      skills the chosen queue must have, sorted
     * @param line        line of the rule in the file
     */
    record Rule(String id, String description, Condition when, String department, String queue, int priority,
                boolean escalate, Set<String> skills, int line) {
    }

    /**
     * All conditions of a rule; an absent condition always holds. Set values are lower-cased except
     * categories, which are case-sensitive (Banking77 has {@code Refund_not_showing_up}).
     *
     * @param categories        category is one of these, or {@code null}
     * @param confidenceAtLeast confidence >= this, or {@code NaN}
     * @param confidenceBelow   confidence < this, or {@code NaN}
     * @param flagsAny          at least one of these flags, or empty
     * @param flagsAll          all of these flags, or empty
     * @param flagsNone         none of these flags, or empty
     * @param channels          channel is one of these (case-insensitive), or {@code null}
     * @param tiers             customer tier is one of these, or {@code null}
     * @param regions           region is one of these, or {@code null}
     * @param languages         language is one of these, or {@code null}
     * @param textAny           the text contains at least one of these words/phrases, or empty
     * @param textNone          the text contains none of these words/phrases, or empty
     */
    record Condition(Set<String> categories, double confidenceAtLeast, double confidenceBelow,
                     Set<String> flagsAny, Set<String> flagsAll, Set<String> flagsNone,
                     Set<String> channels, Set<String> tiers, Set<String> regions, Set<String> languages,
                     List<String> textAny, List<String> textNone) {
    }
}
