package com.voxroute.journal;

/**
 * A decoded {@code ENGINE_STARTED} record (the {@code engine} queue): what was in force from this point of the
 * intake journal on. With it,
 * replay finds the exact rules (their full text is in the record) and model (digest, and a content-addressed copy
 * under {@code DATA_DIR/store/models/<digest>/}) that made every later decision.
 *
 * @param startedAtEpochMillis when the engine started (UTC epoch ms, the journal clock)
 * @param intakeIndexAtStart   the last intake index when it started ({@code -1}: intake was empty); in force for
 *                             every intake record after it
 * @param engineVersion        the VoxRoute build, e.g. {@code voxroute 0.1.0}
 * @param durability           {@link Durability#cliName()} in force
 * @param modelVersion         {@code TicketClassifier.modelVersion()}, never {@code null}
 * @param modelDigest          SHA-256 (hex) of the model directory's files, or {@code null} when the model was not
 *                             loaded from a directory (tests)
 * @param modelDir             the model directory as given at start (absolute), or {@code null}
 * @param rulesVersion         {@code Router.rulesVersion()}, never {@code null}
 * @param rulesText            the full YAML text of the rules in force, or {@code null} when not loaded from a file
 */
public record EngineStarted(long startedAtEpochMillis, long intakeIndexAtStart, String engineVersion, String durability, String modelVersion,
                            String modelDigest, String modelDir, String rulesVersion, String rulesText) {
}
