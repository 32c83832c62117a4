package io.netserve.samples;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One in-process run of {@code samples.jar}'s {@link Main} for a client subcommand, with its
 * standard input given and its output captured.
 *
 * @param status the exit status
 * @param out    what it printed on standard output
 * @param err    what it printed on standard error
 */
public record Run(int status, String out, String err) {

    /** Runs {@code args} with empty standard input. */
    public static Run of(String... args) {
        return withInput("", args);
    }

    /** Runs {@code args} with {@code stdin} as standard input. */
    public static Run withInput(String stdin, String... args) {
        return withInput(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    /**
     * Starts {@code args} reading {@code stdin} on another thread, for a command that runs until
     * told to stop; its output can be watched while it runs.
     */
    public static Running start(InputStream stdin, String... args) {
        return new Running(stdin, args);
    }

    /** A command running on its own thread. */
    public static final class Running {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final CompletableFuture<Run> done;

        private Running(InputStream stdin, String... args) {
            done = CompletableFuture.supplyAsync(() -> {
                int status = Main.run(stdin, print(out), print(err), args);
                return new Run(status, out(), err.toString(StandardCharsets.UTF_8));
            });
        }

        /** What it has printed on standard output so far. */
        public String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        /** Waits at most {@code timeout} for it to end, and returns how it ended. */
        public Run await(Duration timeout) throws Exception {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs {@code args} reading {@code stdin}. */
    public static Run withInput(InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(stdin, print(out), print(err), args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
