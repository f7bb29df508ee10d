package com.voxroute.web;

import java.util.List;

/**
 * The classifier model in force.
 *
 * @param version    the model version (format version and training-data digest), never {@code null}
 * @param categories the categories it knows, in its fixed order, never {@code null}
 * @param digest     SHA-256 (hex) of the model directory as kept in the data directory's model store, or
 *                   {@code null} when unknown (a model not loaded from a directory)
 * @param sinceJournalIndex the intake journal index of the {@code MODEL_CHANGED} event that put it in force, or
 *                   {@code -1} when it has been in force since the engine started
 */
public record ModelView(String version, List<String> categories, String digest, long sinceJournalIndex) {

    /**
     * A model in force since start, digest unknown.
     *
     * @param version    the version
     * @param categories the categories
     */
    public ModelView(String version, List<String> categories) {
        this(version, categories, null, -1);
    }
}
