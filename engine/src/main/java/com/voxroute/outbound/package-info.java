/**
 * Outbound: what the pipeline publishes. {@link com.voxroute.outbound.Assignment} (the decision, as journaled in
 * {@code assignments}) and {@link com.voxroute.outbound.AssignmentListener} (callbacks on the publish thread for
 * HTTP replies, live feeds, query views and scoring).
 */
package com.voxroute.outbound;
