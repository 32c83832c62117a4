package io.netserve.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * {@code java -jar samples.jar ...} as a real process: its output collected line by line as it
 * comes, its standard input writable, stopped by SIGTERM. Always {@link #close()} it.
 */
final class JarProcess implements AutoCloseable {

    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();

    private final Thread outReader;
    private final Thread errReader;

    private JarProcess(Process process) {
        this.process = process;
        outReader = drain(process.getInputStream(), out, "stdout");
        errReader = drain(process.getErrorStream(), err, "stderr");
    }

    /** The shaded jar the build made (failsafe passes its path). */
    static Path jar() {
        String path = System.getProperty("samples.jar", "target/samples.jar");
        Path jar = Paths.get(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar.toAbsolutePath() + ": run through 'mvn verify'");
        }
        return jar;
    }

    static JarProcess start(String... args) {
        // C1 only: these processes are short, and start faster without the optimizing compiler.
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        try {
            return new JarProcess(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end with empty standard input; fails if it takes longer than 60 s. */
    static JarProcess run(String... args) {
        JarProcess p = start(args);
        p.closeStdin();
        p.awaitExit();
        return p;
    }

    private static Thread drain(InputStream stream, List<String> lines, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "jar-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for a standard output line matching {@code regex} and returns its match. */
    Matcher awaitLine(String regex) {
        Pattern pattern = Pattern.compile(regex);
        Matcher[] found = new Matcher[1];
        await().atMost(Duration.ofSeconds(30)).pollInSameThread()
                .failFast("the process ended; stderr: " + err(), () -> !process.isAlive() && find(pattern, found) == null)
                .until(() -> find(pattern, found) != null);
        return found[0];
    }

    private Matcher find(Pattern pattern, Matcher[] found) {
        for (String line : out()) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                found[0] = m;
                return m;
            }
        }
        return null;
    }

    /** Writes {@code text} to its standard input. */
    void write(String text) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already gone.
        }
    }

    /** Sends SIGTERM. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the end (60 s at most), then for its output to be read; returns the exit status. */
    int awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("still running after 60 s; stdout: " + out() + " stderr: " + err());
            }
            // The readers end once they have read what the process wrote before it ended.
            outReader.join(10_000);
            errReader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    int exitValue() {
        return process.exitValue();
    }

    List<String> out() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    String outText() {
        return String.join("\n", out());
    }

    String errText() {
        return String.join("\n", err());
    }

    List<String> err() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
