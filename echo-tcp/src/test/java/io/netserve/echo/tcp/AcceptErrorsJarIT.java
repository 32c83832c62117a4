package io.netserve.echo.tcp;

import io.netserve.test.JarProcess;
import io.netserve.test.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The listening socket's own failures: with the open-files limit at 256 and 400 clients, the
 * server logs the cause and the limit to raise in a throttled line, without a stack trace and
 * without spinning, and serves again once clients leave.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AcceptErrorsJarIT {

    private static final Path JAR = Path.of(System.getProperty("echo.tcp.jar", "target/echo-tcp.jar"));
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

    @Test
    void runningOutOfFilesIsOneLineNamingTheLimitAndTheServerRecovers() throws Exception {
        assumeTrue(Files.isExecutable(PRLIMIT), "prlimit (util-linux) is not installed");
        List<Socket> clients = new ArrayList<>();
        try (JarProcess p = JarProcess.start(List.of(PRLIMIT.toString(), "--nofile=256:256"), JAR, "--port", "0",
                "--idle-timeout", "0")) {
            InetSocketAddress address = p.awaitListening();
            try {
                for (int i = 0; i < 400; i++) {
                    Socket s = new Socket();
                    s.connect(address, 10_000); // the kernel's queue takes them, whether the server accepts or not
                    clients.add(s);
                }
                p.awaitStdout(Pattern.compile(
                        "cannot accept connections on .*Too many open files; raise the open-files limit"));
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> {
                        try (TestClient fresh = TestClient.connect(address, Duration.ofSeconds(2))) {
                            fresh.sendLine("back");
                            assertThat(fresh.readLine()).isEqualTo("back");
                        }
                    });
            assertThat(p.stdoutText()).doesNotContain("exceptionCaught() event was fired");
            long lines = p.stdout().stream().filter(l -> l.contains("cannot accept connections")).count();
            assertThat(lines).as("throttled: about a line a second, not one per failure").isLessThan(30);
            p.assertNoStackTrace();
            p.terminate();
            assertThat(p.awaitExit(Duration.ofSeconds(20))).isZero();
        } catch (IOException e) {
            throw new AssertionError("a client could not connect: " + e, e);
        }
    }
}
