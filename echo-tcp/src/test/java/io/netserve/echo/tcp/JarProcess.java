package io.netserve.echo.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The shaded {@code echo-tcp.jar} running as its own process, as an operator starts it: standard
 * output and error collected line by line on their own threads, and always destroyed by
 * {@link #close()}.
 */
final class JarProcess implements AutoCloseable {

    /** The line the contract promises once bound. */
    static final Pattern LISTENING =
            Pattern.compile("^listening on (\\S+):(\\d+) \\(transport=(nio|epoll|io_uring)\\)$");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private JarProcess(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), stdout, "stdout"));
        pumps.add(pump(process.getErrorStream(), stderr, "stderr"));
    }

    /** The jar under test: the path failsafe passes in, else the module's build output. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("echo.tcp.jar", "target/echo-tcp.jar"));
        assertThat(jar).as("the shaded jar (run the package phase first)").isRegularFile();
        return jar;
    }

    /** Starts {@code java -jar echo-tcp.jar args...}. */
    static JarProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return new JarProcess(new ProcessBuilder(command).start());
    }

    private static Thread pump(InputStream in, List<String> lines, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone: nothing more to read
            }
        }, "echo-tcp-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    long pid() {
        return process.pid();
    }

    List<String> stdout() {
        return stdout;
    }

    List<String> stderr() {
        return stderr;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the listening line and returns the address it names. */
    InetSocketAddress awaitListening() {
        Matcher m = awaitStdout(LISTENING);
        return new InetSocketAddress(m.group(1).replace("[", "").replace("]", ""), Integer.parseInt(m.group(2)));
    }

    /** Waits (at most 20 s) for a line of standard output matching {@code pattern} anywhere in it. */
    Matcher awaitStdout(Pattern pattern) {
        Matcher[] found = new Matcher[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .failFast("echo-tcp exited", () -> !process.isAlive() && find(pattern) == null)
                .until(() -> (found[0] = find(pattern)) != null);
        return found[0];
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

    /** Sends {@code signal} (e.g. {@code INT}) with kill(1). */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s exit status", signal).isZero();
    }

    /**
     * Sends SIGTERM. Through the process handle: {@link Process#destroy()} sends SIGTERM too but also
     * closes our ends of the pipes, losing whatever the process logs while it drains.
     */
    void terminate() {
        assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
    }

    /** Waits at most {@code timeout} for the process to exit, then for its output to be read, and returns its status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("echo-tcp still running after " + timeout.toMillis() + " ms; stdout:\n" + String.join("\n", stdout));
        }
        for (Thread t : pumps) {
            t.join(5_000);
        }
        return process.exitValue();
    }

    /** Runs to completion: {@code java -jar echo-tcp.jar args...}, expected to exit by itself within 20 s. */
    static JarProcess run(String... args) throws IOException, InterruptedException {
        JarProcess p = start(args);
        try {
            p.awaitExit(Duration.ofSeconds(20));
            return p;
        } finally {
            p.close();
        }
    }

    /** Asserts neither stream carries a stack trace: no "at ..." frames, no exception names. */
    void assertNoStackTrace() {
        List<String> all = new ArrayList<>(stdout);
        all.addAll(stderr);
        assertThat(all).noneMatch(l -> l.trim().startsWith("at ")).noneMatch(l -> l.contains("Exception"));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "echo-tcp pid " + process.pid() + "\nstdout:\n" + String.join("\n", stdout)
                + "\nstderr:\n" + String.join("\n", stderr);
    }
}
