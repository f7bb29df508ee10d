package com.voxroute.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineConfigTest {

    @Test
    void defaultsAreSplitJournalBlockingAndA4096SlotRing() {
        PipelineConfig c = new PipelineConfig().dataDir(Path.of("d")).conclude();
        assertThat(c.threadLayout()).isEqualTo(ThreadLayout.SPLIT_JOURNAL);
        assertThat(c.waitKind()).isEqualTo(WaitKind.BLOCKING);
        assertThat(c.ringSize()).isEqualTo(4096);
        assertThat(c.triageDepartment()).isEqualTo("triage");
    }

    @Test
    void aBadSettingIsRefusedNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> new PipelineConfig().dataDir(Path.of("d")).ringSize(1000).conclude())
                .hasMessage("ringSize must be a power of 2 in [2, 16777216]: ringSize=1000");
        assertThatThrownBy(() -> new PipelineConfig().conclude()).hasMessageContaining("dataDir must be set");
        assertThatThrownBy(() -> new PipelineConfig().dataDir(Path.of("d")).classifyThreads(0).conclude())
                .hasMessage("classifyThreads must be in [1, 64]: classifyThreads=0");
        assertThatThrownBy(() -> new PipelineConfig().dataDir(Path.of("d")).triageDepartment(" ").conclude())
                .hasMessageContaining("triageDepartment");
    }

    @Test
    void everyWaitKindCreatesItsStrategy() {
        for (WaitKind k : WaitKind.values()) {
            assertThat(k.create()).isNotNull();
        }
        assertThat(WaitKind.BUSY_SPIN.create().getClass().getSimpleName()).isEqualTo("BusySpinWaitStrategy");
    }

    @Test
    void aRealtimePriorityIsRefusedWithAWaitStrategyThatSpinsAndOutsideZeroToNinetyNine() {
        Path data = Path.of("data");
        assertThat(new PipelineConfig().dataDir(data).realtimePriority(10).waitKind(WaitKind.BLOCKING_PARK).conclude()
                .realtimePriority()).isEqualTo(10);
        assertThat(new PipelineConfig().dataDir(data).realtimePriority(10).waitKind(WaitKind.SLEEPING).conclude()
                .realtimePriority()).isEqualTo(10);
        assertThat(new PipelineConfig().dataDir(data).realtimePriority(10).waitKind(WaitKind.BLOCKING)
                .threadLayout(ThreadLayout.FUSED).conclude().realtimePriority()).as("no stage waits for another")
                .isEqualTo(10);
        for (WaitKind spins : new WaitKind[]{WaitKind.BUSY_SPIN, WaitKind.YIELDING, WaitKind.BLOCKING}) {
            assertThatThrownBy(() -> new PipelineConfig().dataDir(data).realtimePriority(10).waitKind(spins).conclude())
                    .as(spins.toString()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("realtimePriority needs stage threads that park")
                    .hasMessageEndingWith(": realtimePriority=10");
        }
        assertThat(new PipelineConfig().dataDir(data).waitKind(WaitKind.BUSY_SPIN).conclude().realtimePriority())
                .as("off by default: any wait strategy").isZero();
        assertThatThrownBy(() -> new PipelineConfig().dataDir(data).realtimePriority(100)
                .waitKind(WaitKind.BLOCKING_PARK).conclude())
                .hasMessage("realtimePriority must be in [0, 99] (0: off): realtimePriority=100");
    }
}
