package com.voxroute.web;

import java.util.Locale;

/**
 * Access roles of bearer tokens. {@code admin} holds every right; {@code intake} and {@code viewer} are
 * disjoint.
 */
public enum Role {
    /** May submit tickets (one or a batch) and ticket events. */
    INTAKE,
    /** May read tickets, departments, rules, model, stats and metrics, and follow the live stream. */
    VIEWER,
    /** May do everything, including changing rules and department availability and capacity. */
    ADMIN;

    /**
     * @param required the role an endpoint needs
     * @return {@code true} when a holder of this role may call it
     */
    public boolean grants(Role required) {
        return this == ADMIN || this == required;
    }

    /** @return the role's name as written in the token file ({@code intake}, {@code viewer}, {@code admin}) */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
