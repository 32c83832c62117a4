package io.netserve.echo.tcp;

import io.netserve.test.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A restart on one host that refuses and resets no connection: a client connects all the time
 * (connect, one byte there and back, close) while a second process starts on the same port with
 * {@code --reuse-port} and the first is sent SIGTERM.
 *
 * <p>Linux loses a closing listener's accept queue (those connections are reset) unless the kernel
 * migrates it to another listener of the same port: {@code net.ipv4.tcp_migrate_req=1} (Linux
 * 5.14+). The test needs it and says so when it is off; {@code .ci/run} sets it in CI.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestartJarIT {

    private static final Path JAR = Path.of(System.getProperty("echo.tcp.jar", "target/echo-tcp.jar"));
    private static final Path MIGRATE = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
    private static final Duration EXIT = Duration.ofSeconds(20);
    /** Clients connecting at once, so that connections are always in flight when the old listener closes. */
    private static final int CLIENT_THREADS = 4;

    @Test
    void aRestartWithReusePortRefusesAndResetsNoConnection() throws Exception {
        assumeTrue(Files.isReadable(MIGRATE) && Files.readString(MIGRATE).trim().equals("1"),
                "net.ipv4.tcp_migrate_req is not 1 here: a closing listener's queued connections would be reset"
                        + " (sysctl -w net.ipv4.tcp_migrate_req=1)");

        Restart restart = restart();

        assertThat(restart.failures()).as("connections refused or reset over the restart, of " + restart.attempts())
                .isZero();
        assertThat(restart.attempts()).as("the client kept connecting").isGreaterThan(200);
    }

    /** Runs a restart under a connecting client and counts what failed; public for measuring it by hand. */
    static Restart restart() throws Exception {
        try (JarProcess old = JarProcess.start(JAR, "--port", "0", "--reuse-port", "--shutdown-timeout", "5s")) {
            InetSocketAddress address = old.awaitListening();
            Client client = new Client(address);
            Thread[] threads = new Thread[CLIENT_THREADS];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(client, "restart-client-" + i);
                threads[i].start();
            }
            try (JarProcess replacement = JarProcess.start(JAR, "--port", String.valueOf(address.getPort()),
                    "--reuse-port")) {
                replacement.awaitListening();
                long before = client.attempts.get();
                await().atMost(EXIT).until(() -> client.attempts.get() > before + 100);

                old.terminate();
                assertThat(old.awaitExit(EXIT)).isZero();
                long after = client.attempts.get();
                await().atMost(EXIT).until(() -> client.attempts.get() > after + 100);
                client.running.set(false);
                for (Thread thread : threads) {
                    thread.join(EXIT.toMillis());
                }
                replacement.terminate();
                assertThat(replacement.awaitExit(EXIT)).isZero();
            } finally {
                client.running.set(false);
            }
            return new Restart(client.attempts.get(), client.failures.get());
        }
    }

    /** What a restart cost the client. */
    record Restart(long attempts, long failures) {
    }

    /** Connects, sends a byte, reads it back and closes, over and over, on each of its threads; counts every failure. */
    private static final class Client implements Runnable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        private final InetSocketAddress address;

        Client(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void run() {
            while (running.get()) {
                attempts.incrementAndGet();
                try (Socket s = new Socket()) {
                    s.setSoTimeout(5_000);
                    s.connect(address, 5_000);
                    s.getOutputStream().write(42);
                    InputStream in = s.getInputStream();
                    if (in.read() != 42) {
                        failures.incrementAndGet();
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                }
            }
        }
    }
}
