package com.voxroute.routing;

/**
 * A rules file (or a reloaded rules text) that cannot be used: unreadable, not YAML, or not valid against the
 * rules schema (see {@code README.md, "Routing rules"}).
 *
 * <p>The message has the compiler-style form {@code file:line: reason} (line 1-based), or {@code file: reason}
 * when the problem concerns the whole file (line 0), so editors and CI logs can jump to it. A rules load that
 * throws this leaves the rules in force unchanged.
 *
 * <p>It is unchecked (an {@link IllegalArgumentException}) because it is also what
 * {@link Router#apply(ControlEvent)} throws for a bad {@code RULES_RELOADED} payload, where the router contract
 * promises an {@code IllegalArgumentException} with routing state unchanged.
 */
public final class RulesException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String reason;

    /**
     * @param file   the file name or source label (e.g. {@code rules.yaml}, {@code reload@1764504000000}), not null
     * @param line   the 1-based line of the problem, or 0 when it concerns the whole file
     * @param reason a short reason, without the file and line
     */
    public RulesException(String file, int line, String reason) {
        super(line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    /** @return the file name or source label, never {@code null} */
    public String file() {
        return file;
    }

    /** @return the 1-based line of the problem, or 0 when it concerns the whole file */
    public int line() {
        return line;
    }

    /** @return the reason without file and line, never {@code null} */
    public String reason() {
        return reason;
    }
}
