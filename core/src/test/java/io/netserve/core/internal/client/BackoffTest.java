package io.netserve.core.internal.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void eachDelayDoublesWithJitterUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new Random(7));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};

        for (long ceiling : ceilings) {
            long delay = millis(backoff.nextDelayNanos());
            assertThat(delay).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void jitterSpreadsClientsThatStartedTogether() {
        List<Long> firsts = new ArrayList<>();
        for (int seed = 0; seed < 20; seed++) {
            firsts.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(seed)).nextDelayNanos());
        }

        assertThat(firsts.stream().distinct().count()).isGreaterThan(10);
    }

    @Test
    void aResetStartsAgainFromTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new Random(1));
        for (int i = 0; i < 10; i++) {
            backoff.nextDelayNanos();
        }

        backoff.reset();

        assertThat(millis(backoff.nextDelayNanos())).isBetween(50L, 100L);
    }
}
