package com.voxroute.web;

import java.util.Arrays;

/**
 * One department's "SLA at risk" count, kept up to date as tickets are placed in and taken out of the department,
 * so that {@code GET /v1/departments} costs O(departments) instead of a walk over every ticket.
 *
 * <p>The count asked for is: how many members have an SLA deadline before a threshold (now + 60 min). The threshold
 * moves with the clock, so a plain counter cannot follow it; instead the members are split at the last threshold
 * asked for into two binary heaps: {@code due} (deadline before it; a max-heap, latest deadline on top) and
 * {@code later} (deadline at or after it; a min-heap, earliest on top). The answer is {@code due}'s size. When the
 * threshold moves forward, the members of {@code later} it has passed move over to {@code due}; when it moves back
 * (a wall clock set back), the members of {@code due} at or after it move back. So each request costs
 * O((1 + members that crossed) log n) and the answer is exactly the walk's for any sequence of thresholds
 * ({@code SlaRiskCounterTest}, {@code PipelineIntakePortIT}). A member knows its slot
 * ({@link Member#riskSlot}), so taking one out is O(log n) too, with nothing left behind.
 *
 * <p>Memory: one array slot (a reference, 4 B with compressed oops) per member, arrays grown by doubling and halved
 * when a quarter full, plus the member's own {@code int} slot field.
 *
 * <p>Threading: every method is {@code synchronized} on the counter; callers may hold a member's own lock
 * (the lock order is member, then counter; the counter never takes a member's lock).
 */
final class SlaRiskCounter {

    /** The value of {@link Member#riskSlot} of a member in no counter. */
    static final int NOT_COUNTED = Integer.MIN_VALUE;

    /**
     * What the counter keeps of a ticket: its deadline and its slot. {@link #slaDueAtEpochMillis} must not change
     * while the member is in a counter (take it out, change it, add it again).
     */
    abstract static class Member {
        /** The SLA deadline of the ticket's latest assignment, UTC epoch ms (any value). */
        long slaDueAtEpochMillis;
        /**
         * {@link #NOT_COUNTED}, or the member's slot: {@code s >= 0} is slot {@code s} of {@code later},
         * {@code s < 0} slot {@code -s - 1} of {@code due}. Owned by the counter the member is in (its lock).
         */
        int riskSlot = NOT_COUNTED;
    }

    private static final int INITIAL_CAPACITY = 16;

    /** Members with a deadline before {@link #threshold}: a max-heap by deadline. */
    private Member[] due = new Member[INITIAL_CAPACITY];
    private int dueSize;
    /** Members with a deadline at or after {@link #threshold}: a min-heap by deadline. */
    private Member[] later = new Member[INITIAL_CAPACITY];
    private int laterSize;
    /** The threshold of the last {@link #countBefore}, UTC epoch ms ({@code Long.MIN_VALUE} before the first). */
    private long threshold = Long.MIN_VALUE;

    /**
     * Adds a member (a ticket placed in the department). O(log n).
     *
     * @param m a member in no counter, its deadline set
     * @throws IllegalStateException when {@code m} is already in a counter
     */
    synchronized void add(Member m) {
        if (m.riskSlot != NOT_COUNTED) {
            throw new IllegalStateException("already counted");
        }
        if (m.slaDueAtEpochMillis < threshold) {
            pushDue(m);
        } else {
            pushLater(m);
        }
    }

    /**
     * Takes a member out (its ticket resolved, moved or unplaced). O(log n).
     *
     * @param m a member of this counter
     * @throws IllegalStateException when {@code m} is in no counter
     */
    synchronized void remove(Member m) {
        int s = m.riskSlot;
        if (s == NOT_COUNTED) {
            throw new IllegalStateException("not counted");
        }
        if (s >= 0) {
            removeLater(s);
        } else {
            removeDue(-s - 1);
        }
        m.riskSlot = NOT_COUNTED;
    }

    /**
     * How many members have a deadline strictly before {@code thresholdEpochMillis}; moves the split there.
     * O((1 + members whose side changes) log n).
     *
     * @param thresholdEpochMillis UTC epoch ms (any value, also one before the last call's)
     * @return the count, >= 0
     */
    synchronized long countBefore(long thresholdEpochMillis) {
        if (thresholdEpochMillis > threshold) {
            while (laterSize > 0 && later[0].slaDueAtEpochMillis < thresholdEpochMillis) {
                Member m = later[0];
                removeLater(0);
                pushDue(m);
            }
        } else if (thresholdEpochMillis < threshold) {
            while (dueSize > 0 && due[0].slaDueAtEpochMillis >= thresholdEpochMillis) {
                Member m = due[0];
                removeDue(0);
                pushLater(m);
            }
        }
        threshold = thresholdEpochMillis;
        return dueSize;
    }

    /** @return how many members the counter holds (placed tickets), >= 0 */
    synchronized long size() {
        return (long) dueSize + laterSize;
    }

    // ------------------------------------------------------------------ heaps (array-backed, 0-based)

    private void pushLater(Member m) {
        if (laterSize == later.length) {
            later = Arrays.copyOf(later, later.length * 2);
        }
        siftUpLater(laterSize++, m);
    }

    private void pushDue(Member m) {
        if (dueSize == due.length) {
            due = Arrays.copyOf(due, due.length * 2);
        }
        siftUpDue(dueSize++, m);
    }

    private void removeLater(int slot) {
        Member last = later[--laterSize];
        later[laterSize] = null;
        if (slot < laterSize) {
            // the last one takes the slot, then goes up or down
            siftDownLater(slot, last);
            if (later[slot] == last) {
                siftUpLater(slot, last);
            }
        }
        if (later.length > INITIAL_CAPACITY && laterSize < later.length / 4) {
            later = Arrays.copyOf(later, later.length / 2);
        }
    }

    private void removeDue(int slot) {
        Member last = due[--dueSize];
        due[dueSize] = null;
        if (slot < dueSize) {
            siftDownDue(slot, last);
            if (due[slot] == last) {
                siftUpDue(slot, last);
            }
        }
        if (due.length > INITIAL_CAPACITY && dueSize < due.length / 4) {
            due = Arrays.copyOf(due, due.length / 2);
        }
    }

    private void setLater(int slot, Member m) {
        later[slot] = m;
        m.riskSlot = slot;
    }

    private void setDue(int slot, Member m) {
        due[slot] = m;
        m.riskSlot = -slot - 1;
    }

    private void siftUpLater(int slot, Member m) {
        long key = m.slaDueAtEpochMillis;
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            Member p = later[parent];
            if (p.slaDueAtEpochMillis <= key) {
                break;
            }
            setLater(slot, p);
            slot = parent;
        }
        setLater(slot, m);
    }

    private void siftDownLater(int slot, Member m) {
        long key = m.slaDueAtEpochMillis;
        int half = laterSize >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < laterSize && later[right].slaDueAtEpochMillis < later[child].slaDueAtEpochMillis) {
                child = right;
            }
            if (key <= later[child].slaDueAtEpochMillis) {
                break;
            }
            setLater(slot, later[child]);
            slot = child;
        }
        setLater(slot, m);
    }

    private void siftUpDue(int slot, Member m) {
        long key = m.slaDueAtEpochMillis;
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            Member p = due[parent];
            if (p.slaDueAtEpochMillis >= key) {
                break;
            }
            setDue(slot, p);
            slot = parent;
        }
        setDue(slot, m);
    }

    private void siftDownDue(int slot, Member m) {
        long key = m.slaDueAtEpochMillis;
        int half = dueSize >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < dueSize && due[right].slaDueAtEpochMillis > due[child].slaDueAtEpochMillis) {
                child = right;
            }
            if (key >= due[child].slaDueAtEpochMillis) {
                break;
            }
            setDue(slot, due[child]);
            slot = child;
        }
        setDue(slot, m);
    }
}
