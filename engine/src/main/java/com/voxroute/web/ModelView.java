package com.voxroute.web;

import java.util.List;

/**
 * The classifier model in force.
 *
 * @param version    the model version (format version and training-data digest), never {@code null}
 * @param categories the categories it knows, in its fixed order, never {@code null}
 */
public record ModelView(String version, List<String> categories) {
}
