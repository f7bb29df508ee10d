package com.voxroute.web;

/**
 * The routing rules in force.
 *
 * @param version the rules version (e.g. {@code banking77@sha256:1a2b3c4d}), never {@code null}
 * @param yaml    the YAML text of the rules, never {@code null}
 */
public record RulesView(String version, String yaml) {
}
