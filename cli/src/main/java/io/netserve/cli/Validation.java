package io.netserve.cli;

import java.util.function.Supplier;

/**
 * Turns a configuration builder's refusal into a command-line error that names the option, which
 * {@link ServiceLauncher} reports with exit status 2.
 */
public final class Validation {

    private Validation() {
    }

    /**
     * Runs {@code setter}; if it refuses its value with an {@link IllegalArgumentException}, throws
     * an error saying {@code Invalid value for option '<option>': <reason>}.
     */
    public static void option(String option, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("Invalid value for option '" + option + "': " + e.getMessage());
        }
    }

    /**
     * Returns what {@code factory} makes of an option's value; if it refuses the value with an
     * {@link IllegalArgumentException}, throws an error naming the option, as {@link #option} does.
     */
    public static <T> T value(String option, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("Invalid value for option '" + option + "': " + e.getMessage());
        }
    }

    /**
     * Unless {@code valid}, throws an error saying {@code message}: for options that only make
     * sense together, such as a certificate and its key. The message names the options.
     */
    public static void combination(boolean valid, String message) {
        if (!valid) {
            throw new InvalidOptionException(message);
        }
    }

    /** A command-line value that parsed but is out of range, or options that do not fit together. */
    static final class InvalidOptionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidOptionException(String message) {
            super(message, null, false, false);
        }
    }
}
