package com.voxroute.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessCpuTest {

    @Test
    void readsUserPlusSystemTicksAfterACommandNameWithSpacesAndParentheses() {
        // proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 3 4 20 0 30 0\n";
        assertThat(ProcessCpu.ticks(stat)).isEqualTo(325);
    }

    @Test
    void readsVoluntaryContextSwitchesFromAStatusFile() {
        String status = "Name:\tvoxroute-http-1\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t1234\n"
                + "nonvoluntary_ctxt_switches:\t56\n";
        assertThat(ProcessCpu.voluntarySwitches(status)).isEqualTo(1234);
        assertThat(ProcessCpu.voluntarySwitches("Name:\tx\n")).isZero();
    }

    @Test
    void readsInvoluntaryContextSwitchesFromAStatusFileWithoutMistakingTheVoluntaryLine() {
        String status = "Name:\tvoxroute-http-1\nvoluntary_ctxt_switches:\t1234\n"
                + "nonvoluntary_ctxt_switches:\t56\n";
        assertThat(ProcessCpu.statusCount(status, "nonvoluntary_ctxt_switches:")).isEqualTo(56);
        assertThat(ProcessCpu.statusCount("Name:\tx\n", "nonvoluntary_ctxt_switches:")).isZero();
    }

    @Test
    void refusesTextThatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcessCpu.ticks("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessCpu.ticks("1 (x) S 1 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupsThreadsByTheirCutLinuxNames() {
        assertThat(ProcessCpu.group("voxroute-stage-")).isEqualTo("pipeline");
        assertThat(ProcessCpu.group("voxroute-http-1")).isEqualTo("http");
        assertThat(ProcessCpu.group("voxroute-http-s")).isEqualTo("http");
        assertThat(ProcessCpu.group("voxroute-web-vi")).isEqualTo("view");
        assertThat(ProcessCpu.group("voxroute-load-1")).isEqualTo("load");
        assertThat(ProcessCpu.group("HttpClient-1-Wo")).isEqualTo("load");
        assertThat(ProcessCpu.group("C2 CompilerThre")).isEqualTo("jit");
        assertThat(ProcessCpu.group("GC Thread#0")).isEqualTo("gc");
        assertThat(ProcessCpu.group("ZWorkerYoung#0")).isEqualTo("gc");
        assertThat(ProcessCpu.group("java")).isEqualTo("producer");
        assertThat(ProcessCpu.group("Common-Cleaner")).isEqualTo("other");
    }

    @Test
    void aSnapshotOfThisProcessHasItsTotalAndSubtracts() throws IOException {
        long pid = ProcessHandle.current().pid();
        Map<String, Long> a = ProcessCpu.snapshot(pid);
        Map<String, Long> b = ProcessCpu.snapshot(pid);
        assertThat(a).containsKey(ProcessCpu.PROCESS).containsKey("producer");
        assertThat(ProcessCpu.minus(b, a).get(ProcessCpu.PROCESS)).isNotNegative();
        assertThat(ProcessCpu.minus(Map.of("process", 30L, "jit", 5L), Map.of("process", 10L)))
                .isEqualTo(Map.of("process", 20L, "jit", 5L));
    }

    @Test
    void aProcessThatDoesNotExistIsAnIoError() {
        assertThatThrownBy(() -> ProcessCpu.snapshot(Integer.MAX_VALUE + 10L)).isInstanceOf(IOException.class);
    }
}
