package com.voxroute.replay;

import com.voxroute.journal.EngineStarted;
import com.voxroute.journal.Journal;

import java.util.List;

/**
 * The {@code ENGINE_STARTED} records of a journal, in order: which model and rules were in force when.
 *
 * <p>Threading: stateless, any thread.
 */
public final class JournalProvenance {

    private JournalProvenance() {
    }

    /**
     * @param journal the journal
     * @return every ENGINE_STARTED record, oldest first (empty for journals written before them)
     */
    public static List<EngineStarted> starts(Journal journal) {
        return journal.engineStarts();
    }

    /**
     * @param starts      the records, oldest first
     * @param intakeIndex an intake index
     * @return the record in force for that intake record (the last one started before it), or {@code null}
     */
    public static EngineStarted inForce(List<EngineStarted> starts, long intakeIndex) {
        EngineStarted found = null;
        for (EngineStarted s : starts) {
            if (s.intakeIndexAtStart() < intakeIndex) {
                found = s;
            }
        }
        return found;
    }
}
