/**
 * The routing stage: turns a classified ticket into a department, queue, priority, SLA deadline and reason.
 *
 * <p>Public API: {@link com.voxroute.routing.Router} (the stage's interface, with
 * {@link com.voxroute.routing.RoutingRequest}, {@link com.voxroute.routing.RoutingDecision},
 * {@link com.voxroute.routing.ControlEvent}); its implementation
 * {@link com.voxroute.routing.CapacityAwareRouter}, built from a YAML rules file
 * ({@link com.voxroute.routing.CapacityAwareRouter#fromYaml(java.nio.file.Path)}, errors as
 * {@link com.voxroute.routing.RulesException} with file, line and reason);
 * {@link com.voxroute.routing.BusinessCalendar} (SLA deadlines in working hours, DST-exact);
 * {@link com.voxroute.routing.TransferRecord} (transfers kept as corrected labels).
 *
 * <p>Internals (package-private): {@code YamlTree} (YAML with line numbers), {@code RulesParser} (schema
 * validation), {@code RulesConfig} (the validated model). The schema is documented in the README section
 * "Routing rules".
 */
package com.voxroute.routing;
