package com.voxroute.web;

/**
 * Told of every assignment as it is published.
 *
 * <p>Threading: called on the pipeline's publish thread, in publication order. An implementation must return
 * quickly and never block (hand work to another thread); an exception it throws is counted and logged once
 * by the caller, and never stops the pipeline.
 */
@FunctionalInterface
public interface AssignmentListener {

    /** @param assignment the published assignment, never {@code null} */
    void onAssignment(AssignmentView assignment);
}
