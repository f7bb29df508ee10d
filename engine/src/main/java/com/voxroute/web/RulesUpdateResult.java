package com.voxroute.web;

/**
 * The answer to an upload of new routing rules.
 *
 * @param accepted     {@code true} when the new rules were valid and their reload was journaled
 * @param version      the new rules version when accepted, else {@code null}
 * @param journalIndex the intake journal index of the reload event when accepted, else {@code -1}
 * @param line         the 1-based line of the first error when refused, else {@code -1} (or {@code -1} when
 *                     the error has no line)
 * @param reason       why the rules were refused, else {@code null}
 * @param backPressured {@code true} when the rules were valid but the ring was full (nothing journaled)
 * @param unavailableCode {@code null}, or the code of a {@code 503} when the rules were valid but the journal did not
 *                        confirm the reload ({@code UNAVAILABLE}: intake stopped, or no answer within the accept
 *                        timeout; {@code DISK_FULL}): not the rules' fault, so not {@code 422 RULES_INVALID}
 */
public record RulesUpdateResult(boolean accepted, String version, long journalIndex, int line, String reason,
                                boolean backPressured, String unavailableCode) {

    /**
     * @param version      the new version
     * @param journalIndex the reload event's intake journal index
     * @return an accepted result
     */
    public static RulesUpdateResult accepted(String version, long journalIndex) {
        return new RulesUpdateResult(true, version, journalIndex, -1, null, false, null);
    }

    /**
     * @param line   1-based line of the error, or {@code -1}
     * @param reason the reason, never {@code null}
     * @return a refused result
     */
    public static RulesUpdateResult refused(int line, String reason) {
        return new RulesUpdateResult(false, null, -1, line, reason, false, null);
    }

    /** @return a result for valid rules that could not be journaled because the ring was full */
    public static RulesUpdateResult backPressuredResult() {
        return new RulesUpdateResult(false, null, -1, -1, "the ring buffer is full; retry shortly", true, null);
    }

    /**
     * @param code   {@code UNAVAILABLE} or {@code DISK_FULL}
     * @param reason what happened, one line
     * @return a result for valid rules whose reload the journal did not confirm (answered {@code 503})
     */
    public static RulesUpdateResult unavailable(String code, String reason) {
        return new RulesUpdateResult(false, null, -1, -1, reason, false, code);
    }
}
