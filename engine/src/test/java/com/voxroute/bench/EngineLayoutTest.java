package com.voxroute.bench;

import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.pipeline.ThreadLayout;
import com.voxroute.pipeline.WaitKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EngineLayoutTest {

    @Test
    void theCrossProductVariesClassifyThreadsOnlyForTheLayoutsWithAPool() {
        List<EngineLayout> all = EngineLayout.crossProduct(List.of(ThreadLayout.values()),
                List.of(WaitKind.BLOCKING, WaitKind.BUSY_SPIN), List.of(1, 2));
        // FUSED, SPLIT_JOURNAL: 1 each; POOLED, CHAINED: 2 each; x 2 waits
        assertThat(all).hasSize(12).doesNotHaveDuplicates();
        assertThat(all).extracting(EngineLayout::label).contains("FUSED/BLOCKING", "SPLIT_JOURNAL/BUSY_SPIN",
                "POOLED x2/BLOCKING", "CHAINED x1/BUSY_SPIN");
        assertThat(all).extracting(EngineLayout::handlerThreads).contains(1, 2, 3, 4, 5);
    }

    @Test
    void aLayoutAppliesToAPipelineConfigAndReadsBackTheSame() {
        EngineLayout l = new EngineLayout(ThreadLayout.POOLED, WaitKind.YIELDING, 2);
        assertThat(EngineLayout.of(l.applyTo(new PipelineConfig()))).isEqualTo(l);
        assertThat(l.slug()).isEqualTo("pooled-2-yielding");
        assertThat(new EngineLayout(ThreadLayout.FUSED, WaitKind.BLOCKING, 2).classifyThreads()).isEqualTo(1);
    }
}
