package io.netserve.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the durations of the command lines and configuration: a whole number with a
 * unit ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}), or a bare {@code 0} meaning zero
 * ("off" where the setting allows it).
 */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,12})(ms|s|m|h)");
    /** The most seconds whose milliseconds still fit in a {@code long}. */
    private static final long MAX_EXACT_SECONDS = Long.MAX_VALUE / 1000 - 1;

    private Durations() {
    }

    /**
     * Parses {@code text} as a duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms when it is not one
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORMAT.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a duration: use a whole number with a unit (250ms, 30s, 5m, 1h) or 0");
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            default:
                return Duration.ofHours(amount);
        }
    }

    /**
     * Formats {@code d} as command lines write it: whole hours in {@code h}, whole minutes of an
     * hour or more in {@code m}, shorter durations in whole seconds ({@code 30s}, {@code 300s}) or
     * milliseconds ({@code 250ms}). A duration that whole milliseconds cannot hold (a fraction of
     * one, or beyond {@code long} milliseconds) is printed in ISO-8601 instead, so that no value is
     * rounded.
     */
    public static String format(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isZero()) {
            return "0";
        }
        if (d.getNano() % 1_000_000 != 0 || d.getSeconds() > MAX_EXACT_SECONDS || d.getSeconds() < -MAX_EXACT_SECONDS) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && Math.abs(ms) >= 3_600_000) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
