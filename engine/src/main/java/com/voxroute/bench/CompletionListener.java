package com.voxroute.bench;

/**
 * Told when a ticket's assignment has been published.
 *
 * <p>Threading: called by the pipeline's publishing thread, one call at a time, in completion order.
 */
@FunctionalInterface
public interface CompletionListener {

    /**
     * @param event the completed ticket with all its stage timestamps; valid only during the call (ring slots
     *              are reused)
     */
    void onPublished(BenchEvent event);
}
