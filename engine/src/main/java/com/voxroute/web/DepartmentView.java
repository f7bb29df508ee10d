package com.voxroute.web;

/**
 * One department's routing state as {@code GET /v1/departments} shows it.
 *
 * @param id                the department id (e.g. {@code cards})
 * @param name              a display name, never {@code null}
 * @param available         {@code true} while on shift
 * @param capacity          open tickets it may hold at once, >= 0
 * @param load              open tickets assigned now, >= 0
 * @param backlog           tickets waiting for capacity, >= 0
 * @param slaAtRisk         open or waiting tickets whose SLA deadline is within the at-risk window, >= 0
 * @param queues            the department's queue ids in rules-file order (what {@code PUT /v1/departments} may
 *                          name as {@code queue}), never {@code null}
 */
public record DepartmentView(String id, String name, boolean available, long capacity, long load, long backlog,
                             long slaAtRisk, java.util.List<String> queues) {
}
