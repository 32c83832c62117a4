package io.netserve.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class DurationsTest {

    @Test
    void parsesEachUnit() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void parsesZeroWithOrWithoutUnit() {
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse("0s")).isZero();
        assertThat(Durations.parse("0ms")).isZero();
    }

    @Test
    void ignoresSurroundingSpaceAndCase() {
        assertThat(Durations.parse(" 30S ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("250MS")).isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "5", "00", "-5s", "1.5s", "5 s", "5sec", "s", "ms", "5d", "PT5S", "1h30m",
            "1234567890123s"})
    void refusesAnythingElseNamingTheTextAndTheForms(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("'" + text + "' is not a duration: use a whole number with a unit (250ms, 30s, 5m, 1h) or 0");
    }

    @Test
    void refusesNull() {
        assertThatNullPointerException().isThrownBy(() -> Durations.parse(null)).withMessage("text");
        assertThatNullPointerException().isThrownBy(() -> Durations.format(null)).withMessage("d");
    }

    @Test
    void formatsAsCommandLinesWriteIt() {
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("300s");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("24h");
        assertThat(Durations.format(Duration.ofMillis(-1))).isEqualTo("-1ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1ms", "250ms", "1500ms", "30s", "90s", "300s", "90m", "1h", "25h"})
    void formatAndParseRoundTrip(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }

    @Test
    void formatsWhatMillisecondsCannotHoldWithoutRoundingOrOverflow() {
        assertThat(Durations.format(Duration.ofNanos(1))).isNotEqualTo("0").isEqualTo(Duration.ofNanos(1).toString());
        assertThat(Durations.format(Duration.ofHours(24).plusNanos(1))).isNotEqualTo("24h");
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
        assertThat(Durations.format(huge)).isEqualTo(huge.toString());
    }
}
