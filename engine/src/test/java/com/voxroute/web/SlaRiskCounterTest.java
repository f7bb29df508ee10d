package com.voxroute.web;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlaRiskCounterTest {

    private static final class M extends SlaRiskCounter.Member {
        M(long due) {
            slaDueAtEpochMillis = due;
        }
    }

    /**
     * Random adds, removes, deadline changes (out, change, in again) and thresholds moving forward, back and
     * standing still, with many equal deadlines: after every step the count equals a walk over the members.
     */
    @Test
    void theCountBeforeAnyThresholdEqualsAWalkOverTheMembersForRandomSequences() {
        long seed = Long.getLong("voxroute.test.seed", System.nanoTime());
        for (int run = 0; run < 40; run++) {
            Random random = new Random(seed + run);
            String replay = "seed=" + seed + " run=" + run + " (rerun with -Dvoxroute.test.seed=" + seed + ")";
            SlaRiskCounter counter = new SlaRiskCounter();
            List<M> in = new ArrayList<>();
            List<M> out = new ArrayList<>();
            long threshold = 1_000_000;
            // a narrow range of deadlines in some runs: many equal keys and many crossings per step
            int range = run % 3 == 0 ? 50 : 100_000;
            for (int step = 0; step < 3_000; step++) {
                int op = random.nextInt(10);
                if (op < 4 || in.isEmpty()) {
                    M m = out.isEmpty() || random.nextBoolean() ? new M(0) : out.remove(out.size() - 1);
                    m.slaDueAtEpochMillis = threshold - range / 2 + random.nextInt(range);
                    counter.add(m);
                    in.add(m);
                } else if (op < 6) {
                    M m = in.remove(random.nextInt(in.size()));
                    counter.remove(m);
                    assertThat(m.riskSlot).as(replay).isEqualTo(SlaRiskCounter.NOT_COUNTED);
                    out.add(m);
                } else if (op < 7) {
                    M m = in.get(random.nextInt(in.size())); // a new assignment: out, a new deadline, in again
                    counter.remove(m);
                    m.slaDueAtEpochMillis = threshold - range / 2 + random.nextInt(range);
                    counter.add(m);
                } else {
                    threshold += switch (random.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> -random.nextInt(range / 3 + 1); // the clock set back
                        default -> random.nextInt(range / 3 + 1);
                    };
                }
                long expected = 0;
                for (M m : in) {
                    if (m.slaDueAtEpochMillis < threshold) {
                        expected++;
                    }
                }
                assertThat(counter.countBefore(threshold)).as(replay + " step " + step).isEqualTo(expected);
                assertThat(counter.size()).as(replay).isEqualTo(in.size());
            }
            for (M m : in) {
                counter.remove(m);
            }
            assertThat(counter.size()).as(replay).isZero();
            assertThat(counter.countBefore(Long.MAX_VALUE)).as(replay).isZero();
        }
    }

    @Test
    void aMemberIsInAtMostOneCounterAndOnlyAMemberCanBeRemoved() {
        SlaRiskCounter a = new SlaRiskCounter();
        SlaRiskCounter b = new SlaRiskCounter();
        M m = new M(5);
        a.add(m);
        assertThatThrownBy(() -> b.add(m)).isInstanceOf(IllegalStateException.class);
        assertThat(a.countBefore(6)).isEqualTo(1);
        assertThat(a.countBefore(5)).isZero();
        a.remove(m);
        assertThatThrownBy(() -> a.remove(m)).isInstanceOf(IllegalStateException.class);
        b.add(m);
        assertThat(b.countBefore(Long.MAX_VALUE)).isEqualTo(1);
        assertThat(a.countBefore(Long.MAX_VALUE)).isZero();
    }
}
