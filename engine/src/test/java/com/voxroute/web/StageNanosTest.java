package com.voxroute.web;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StageNanosTest {

    @Test
    void theCompactMapEqualsTheLinkedHashMapTheViewBuiltBeforeInContentAndOrder() {
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("received", 10L);
        expected.put("journaled", 20L);
        expected.put("classified", 30L);
        expected.put("routed", 40L);
        expected.put("published", 50L);
        StageNanos s = new StageNanos(10, 20, 30, 40, 50);
        assertThat(s).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(List.copyOf(s.keySet())).isEqualTo(List.copyOf(expected.keySet()));
        assertThat(s.get("classified")).isEqualTo(30L);
        assertThat(s.get("unknown")).isNull();
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.name(4)).isEqualTo("published");
        assertThat(s.nanos(4)).isEqualTo(50L);
    }

    @Test
    void aDispatchedAssignmentWithoutClassificationLeavesTheClassifiedStageOut() {
        StageNanos s = new StageNanos(10, 20, 0, 40, 50);
        assertThat(List.copyOf(s.keySet())).containsExactly("received", "journaled", "routed", "published");
        assertThat(s.containsKey("classified")).isFalse();
    }

    @Test
    void ofCopiesAnyOtherMapInItsOrderWithoutNullValuesAndReturnsItsOwnKindUnchanged() {
        Map<String, Long> other = new LinkedHashMap<>();
        other.put("b", 2L);
        other.put("gap", null);
        other.put("a", 1L);
        StageNanos copy = StageNanos.of(other);
        assertThat(List.copyOf(copy.keySet())).containsExactly("b", "a");
        assertThat(copy.nanos(1)).isEqualTo(1L);
        StageNanos own = new StageNanos(1, 2, 3, 4, 5);
        assertThat(StageNanos.of(own)).isSameAs(own);
    }
}
