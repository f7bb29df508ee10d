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
}
