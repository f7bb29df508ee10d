package com.voxroute.cli;

/** Exit codes of every {@code voxroute} command. */
public final class ExitCodes {

    /** Everything went through. */
    public static final int OK = 0;
    /** Some tickets were rejected (or failed in a stage and went to triage); the rest went through. */
    public static final int SOME_REJECTED = 1;
    /** Usage error: bad option or argument; one line on stderr says which. */
    public static final int USAGE = 2;
    /** The run could not go on: the journal failed (intake stopped) or an unexpected error; see stderr. */
    public static final int FAILURE = 3;

    private ExitCodes() {
    }

    /**
     * @param summary a run summary
     * @return {@link #FAILURE} when intake stopped, {@link #SOME_REJECTED} when some ticket was rejected or
     *         failed, else {@link #OK}
     */
    public static int of(RunSummary summary) {
        if (summary.stopped()) {
            return FAILURE;
        }
        return summary.rejected() > 0 || summary.failed() > 0 ? SOME_REJECTED : OK;
    }
}
