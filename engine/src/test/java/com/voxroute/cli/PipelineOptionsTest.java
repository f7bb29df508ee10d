package com.voxroute.cli;

import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.pipeline.ThreadLayout;
import com.voxroute.pipeline.WaitKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineOptionsTest {

    private static PipelineConfig apply(String... args) {
        PipelineOptions options = new PipelineOptions();
        new CommandLine(options).parseArgs(args);
        return options.apply(new PipelineConfig());
    }

    @Test
    void layoutWaitAndClassifyThreadsAreReadInAnyCaseWithDashes() {
        PipelineConfig c = apply("--thread-layout", "split-journal", "--wait-strategy", "BUSY_SPIN");
        assertThat(c.threadLayout()).isEqualTo(ThreadLayout.SPLIT_JOURNAL);
        assertThat(c.waitKind()).isEqualTo(WaitKind.BUSY_SPIN);
        assertThat(apply("--thread-layout", "Pooled", "--classify-threads", "2").classifyThreads()).isEqualTo(2);
    }

    @Test
    void noOptionKeepsTheEngineDefaults() {
        PipelineConfig defaults = new PipelineConfig();
        PipelineConfig c = apply();
        assertThat(c.threadLayout()).isEqualTo(defaults.threadLayout());
        assertThat(c.waitKind()).isEqualTo(defaults.waitKind());
        assertThat(c.classifyThreads()).isEqualTo(defaults.classifyThreads());
    }

    @Test
    void anUnknownLayoutNamesTheAllowedValues() {
        assertThatThrownBy(() -> apply("--thread-layout", "triple"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--thread-layout must be one of [fused, split-journal, pooled, chained]: triple");
        assertThatThrownBy(() -> apply("--classify-threads", "0"))
                .isInstanceOf(UsageException.class).hasMessage("--classify-threads must be in [1, 64]: 0");
    }

    @Test
    void runRefusesTheChainedLayoutBecauseItScoresOnThePublishThread() {
        assertThatThrownBy(() -> RunCommand.checkLayout(new PipelineConfig().threadLayout(ThreadLayout.CHAINED)))
                .isInstanceOf(UsageException.class).hasMessageContaining("not supported by run");
        assertThat(RunCommand.checkLayout(new PipelineConfig().threadLayout(ThreadLayout.POOLED)).threadLayout())
                .isEqualTo(ThreadLayout.POOLED);
    }
}
