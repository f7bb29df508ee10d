package com.voxroute.classifier;

import java.util.List;

/**
 * The classifier's verdict on one ticket.
 *
 * @param category      the best category, never {@code null}: when {@code abstained} below the threshold, still the
 *                      best guess; when there is no signal at all, or the ticket's language is not one the model
 *                      was trained on, {@link #NO_CATEGORY}
 * @param confidence    calibrated confidence of {@code category}, in [0, 1]
 * @param abstained     {@code true} when the ticket should go to triage instead of being routed on the guess
 * @param abstainReason why it abstained ({@code no-signal}, {@code unsupported-language}, {@code below-threshold}),
 *                      {@code null} otherwise
 * @param top           the best categories with their confidence, best first, at most a handful
 * @param flags         risk and urgency flags ({@code fraud}, {@code regulatory}, {@code vulnerable},
 *                      {@code urgent}), sorted, never {@code null}
 * @param language      detected language tag ({@code en}, {@code zh}, {@code mixed}, {@code und})
 * @param explanation   the evidence behind the decision, never {@code null}
 */
public record Classification(
        String category,
        double confidence,
        boolean abstained,
        String abstainReason,
        List<CategoryScore> top,
        List<String> flags,
        String language,
        Explanation explanation) {

    /**
     * The category of a ticket with no signal at all (abstained with reason {@code no-signal}) or in a language the
     * model was not trained on ({@code unsupported-language}): no guess.
     */
    public static final String NO_CATEGORY = "none";

    /**
     * One category and its confidence.
     *
     * @param category   the category label
     * @param confidence in [0, 1]
     */
    public record CategoryScore(String category, double confidence) {
    }

    /**
     * Why the classifier decided: cheap enough to store with every assignment.
     *
     * @param topTerms          the analysed terms that weighed most for the category, best first
     * @param nearestTicketIds  ids of the nearest training tickets, best first (may be empty)
     */
    public record Explanation(List<String> topTerms, List<String> nearestTicketIds) {
        /** An explanation with no evidence. */
        public static final Explanation NONE = new Explanation(List.of(), List.of());
    }
}
