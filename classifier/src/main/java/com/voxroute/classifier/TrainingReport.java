package com.voxroute.classifier;

/**
 * What a training run produced.
 *
 * @param modelVersion   the model version (format version and training-data digest prefix)
 * @param tickets        training tickets read
 * @param categories     categories learned
 * @param features       features (terms) kept
 * @param lang           language tag of the model ({@code en}, {@code zh})
 * @param trainingSeconds wall-clock seconds of the whole run, including calibration and writing
 */
public record TrainingReport(String modelVersion, int tickets, int categories, int features, String lang,
                             double trainingSeconds) {
}
