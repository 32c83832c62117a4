package io.netserve.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The range checks of the configuration builders, so that a server's and a client's setting of
 * the same kind refuse a value with the same words: the field, the allowed range and the value.
 */
final class Ranges {

    /** The longest duration any setting takes. */
    static final Duration MAX_DURATION = Duration.ofHours(24);

    private Ranges() {
    }

    /** {@code value}, if it is from {@code min} to {@code max}. */
    static int inRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** {@code d}, if it is from zero to {@link #MAX_DURATION}. */
    static Duration duration(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(field + " must be between 0 and 24h, was " + Durations.format(d));
        }
        return d;
    }

    /** {@code d}, if it is more than zero and at most {@link #MAX_DURATION}. */
    static Duration positive(String field, Duration d) {
        duration(field, d);
        if (d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was 0");
        }
        return d;
    }

    /** A host name or literal, trimmed, if it is not blank. */
    static String host(String field, String host) {
        Objects.requireNonNull(host, field);
        if (host.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return host.trim();
    }
}
