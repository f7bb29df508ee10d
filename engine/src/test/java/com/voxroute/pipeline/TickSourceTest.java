package com.voxroute.pipeline;

import com.voxroute.routing.ControlEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TickSourceTest {

    @Test
    @Timeout(10)
    void offersTickEventsRepeatedlyUntilClosed() throws InterruptedException {
        CopyOnWriteArrayList<ControlEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        try (TickSource ticks = new TickSource(5, e -> {
            seen.add(e);
            three.countDown();
            return 0;
        })) {
            assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
        }
        int afterClose = seen.size();
        Thread.sleep(50);
        assertThat(seen).hasSize(afterClose);
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(ControlEvent.Type.TICK);
            assertThat(e.ticketId()).isNull();
        });
    }

    @Test
    void refusesANonPositiveInterval() {
        assertThatThrownBy(() -> new TickSource(0, e -> 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intervalMillis=0");
    }
}
