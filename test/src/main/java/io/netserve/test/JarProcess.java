package io.netserve.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A runnable jar started as its own process, as an operator starts it: {@code java -jar JAR
 * args...}, standard output and error collected line by line on their own threads, and always
 * destroyed by {@link #close()}. For process-level tests of a service's command line, output and
 * exit statuses.
 *
 * <pre>{@code
 * try (JarProcess echo = JarProcess.start(Path.of("target/echo-tcp.jar"), "--port", "0")) {
 *     InetSocketAddress bound = echo.awaitListening();
 *     ...
 *     echo.terminate();
 *     assertThat(echo.awaitExit(Duration.ofSeconds(10))).isZero();
 * }
 * }</pre>
 */
public final class JarProcess implements AutoCloseable {

    /** The line every netserve service prints once bound. */
    public static final Pattern LISTENING =
            Pattern.compile("^listening on (\\S+):(\\d+) \\(transport=(nio|epoll|io_uring|kqueue)(?:, [^)]*)?\\)$");

    /** The line a netserve service prints after the listening line when it has an admin endpoint. */
    public static final Pattern ADMIN = Pattern.compile("^admin on (\\S+):(\\d+)$");

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();
    private final Gate stdoutGate = new Gate();

    private JarProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        pumps.add(pump(process.getInputStream(), stdout, name + "-stdout", stdoutGate));
        pumps.add(pump(process.getErrorStream(), stderr, name + "-stderr", new Gate()));
    }

    /**
     * Starts {@code java -jar jar args...} with this JVM's {@code java}.
     *
     * @throws AssertionError if the jar is missing (run the package phase first)
     */
    public static JarProcess start(Path jar, String... args) {
        return start(List.of(), jar, args);
    }

    /**
     * Starts {@code java -jar jar args...} under {@code launcher}, a command that runs the rest of
     * its command line (for example {@code prlimit --nofile=256:256} to start the service with a
     * low open-files limit).
     */
    public static JarProcess start(List<String> launcher, Path jar, String... args) {
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no jar at " + jar + " (run the package phase first)");
        }
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        try {
            return new JarProcess(jar.getFileName().toString(), new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * Runs {@code java -jar jar args...} to completion with empty standard input (at most 30 s)
     * and returns the ended process.
     */
    public static JarProcess run(Path jar, String... args) {
        try (JarProcess p = start(jar, args)) {
            p.closeStdin();
            p.awaitExit(WAIT);
            return p;
        }
    }

    private static Thread pump(InputStream in, List<String> lines, String threadName, Gate gate) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                while (gate.awaitOpen()) {
                    String line = r.readLine();
                    if (line == null) {
                        return;
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone: nothing more to read
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Stops reading the process's standard output, as a stuck log shipper or a full pipe would:
     * once the pipe's buffer (64 KiB on Linux) and the line read ahead are full, the process's
     * writes to it block. What it printed before is kept; {@link #resumeStdout()} reads on.
     */
    public void pauseStdout() {
        stdoutGate.set(false);
    }

    /** Reads the process's standard output again after {@link #pauseStdout()}. */
    public void resumeStdout() {
        stdoutGate.set(true);
    }

    /**
     * The process's resident memory now, in bytes ({@code VmRSS} of {@code /proc/PID/status});
     * Linux only.
     *
     * @throws AssertionError if there is no such file (not Linux, or the process has ended)
     */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read the resident memory of " + name + ": " + e, e);
        }
        throw new AssertionError("no VmRSS for " + name);
    }

    /** The process id, e.g. to signal it. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The lines of standard output so far (a live view). */
    public List<String> stdout() {
        return stdout;
    }

    /** The lines of standard error so far (a live view). */
    public List<String> stderr() {
        return stderr;
    }

    /** Standard output so far, lines joined with {@code \n}. */
    public String stdoutText() {
        return String.join("\n", stdout);
    }

    /** Standard error so far, lines joined with {@code \n}. */
    public String stderrText() {
        return String.join("\n", stderr);
    }

    /** Waits (at most 30 s) for the listening line and returns the address it names. */
    public InetSocketAddress awaitListening() {
        return address(awaitStdout(LISTENING));
    }

    /** Waits (at most 30 s) for the {@code admin on} line and returns the address it names. */
    public InetSocketAddress awaitAdmin() {
        return address(awaitStdout(ADMIN));
    }

    private static InetSocketAddress address(Matcher m) {
        return new InetSocketAddress(m.group(1).replace("[", "").replace("]", ""), Integer.parseInt(m.group(2)));
    }

    /**
     * Waits (at most 30 s) for a line of standard output in which {@code pattern} is found, and
     * returns the match; fails at once if the process exits without printing one.
     */
    public Matcher awaitStdout(Pattern pattern) {
        Matcher[] found = new Matcher[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .failFast(name + " exited; " + this, () -> !process.isAlive() && find(pattern) == null)
                .until(() -> (found[0] = find(pattern)) != null);
        return found[0];
    }

    /** Waits (at most 30 s) for a line of standard output that {@code regex} matches whole, and returns the match. */
    public Matcher awaitLine(String regex) {
        return awaitStdout(Pattern.compile("^(?:" + regex + ")$"));
    }

    private Matcher find(Pattern pattern) {
        for (String line : stdout) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        return null;
    }

    /** Writes {@code text} to the process's standard input and flushes it. */
    public void write(String text) {
        try {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the process's standard input (end of input for it). */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code signal} (e.g. {@code INT}, {@code TERM}) with kill(1). */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while signalling", e);
        }
    }

    /**
     * Sends SIGTERM, through the process handle: {@link Process#destroy()} sends it too but also
     * closes our ends of the pipes, losing what the process logs while it drains.
     */
    public void terminate() {
        if (!process.toHandle().destroy()) {
            throw new AssertionError("could not send SIGTERM to " + name);
        }
    }

    /**
     * Waits at most {@code timeout} for the process to exit, then for its output to be read, and
     * returns its exit status; fails if it is still running.
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout.toMillis() + " ms; " + this);
            }
            for (Thread t : pumps) {
                t.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
        return process.exitValue();
    }

    /** The exit status of an ended process. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Asserts that neither stream carries a stack trace: no "at ..." frames, no exception names. */
    public void assertNoStackTrace() {
        List<String> all = new ArrayList<>(stdout);
        all.addAll(stderr);
        for (String line : all) {
            if (line.trim().startsWith("at ") || line.contains("Exception")) {
                throw new AssertionError("a stack trace in the output of " + name + ": " + line + "\n" + this);
            }
        }
    }

    /** Kills the process if it still runs and waits (at most 10 s) for it to end. */
    @Override
    public void close() {
        stdoutGate.set(true);
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether a pump may read on; a paused pump waits, the process's pipe filling. */
    private static final class Gate {
        private boolean open = true;

        synchronized void set(boolean open) {
            this.open = open;
            notifyAll();
        }

        /** Waits until open; false if interrupted. */
        synchronized boolean awaitOpen() {
            while (!open) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return name + " pid " + process.pid() + "\nstdout:\n" + stdoutText() + "\nstderr:\n" + stderrText();
    }
}
