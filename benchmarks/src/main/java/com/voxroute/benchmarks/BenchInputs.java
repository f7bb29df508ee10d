package com.voxroute.benchmarks;

import com.voxroute.bench.BenchDataSet;
import com.voxroute.bench.BenchTicket;

import java.util.List;

/**
 * Real benchmark inputs for JMH states: the shared data sets' dev splits, shuffled with
 * {@link BenchDataSet#DEFAULT_SEED} (or {@code -Dvoxroute.bench.seed}), interleaved English, Chinese, long so
 * that warm-up covers every input shape. Fails with a clear message (naming where it looked) when the data is
 * missing: a benchmark on made-up text would answer a different question.
 */
public final class BenchInputs {

    private BenchInputs() {
    }

    /** @return the seed in force: {@code -Dvoxroute.bench.seed}, else the default */
    public static long seed() {
        return Long.getLong("voxroute.bench.seed", BenchDataSet.DEFAULT_SEED);
    }

    /** @return the data set, loaded from {@link BenchDataSet#locateDataRoot()} */
    public static BenchDataSet dataSet() {
        return BenchDataSet.load(BenchDataSet.locateDataRoot(), seed());
    }

    /**
     * @param count tickets wanted, > 0
     * @return English, Chinese and long tickets interleaved round-robin
     */
    public static List<BenchTicket> mixed(int count) {
        return dataSet().mixed(count);
    }
}
