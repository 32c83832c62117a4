package io.netserve.core.udp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledLogTest {

    @Test
    void grantsTheFirstEventThenOneLinePerIntervalWithTheCount() {
        ThrottledLog log = new ThrottledLog(1000);

        assertThat(log.event(-5000)).isEqualTo(1);
        assertThat(log.event(-4500)).isZero();
        assertThat(log.event(-4001)).isZero();
        assertThat(log.event(-4000)).isEqualTo(3);
        assertThat(log.event(-3999)).isZero();
        assertThat(log.event(10_000)).isEqualTo(2);
    }
}
