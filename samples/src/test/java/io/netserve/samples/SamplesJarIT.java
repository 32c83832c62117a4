package io.netserve.samples;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.tcp.TcpServer;
import io.netserve.test.JarProcess;
import io.netserve.test.TestClient;
import io.netserve.echo.tcp.EchoHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/** Every sample as documented: {@code java -jar samples/target/samples.jar <command> ...}, as real processes. */
class SamplesJarIT {

    /** The shaded jar the build made (failsafe passes its path). */
    private static final Path JAR = Path.of(System.getProperty("samples.jar", "target/samples.jar"));
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final String LISTENING = "listening on 127\\.0\\.0\\.1:(\\d+) \\(transport=(nio|epoll|io_uring)\\)";

    @ParameterizedTest
    @ValueSource(strings = {"upper-server", "chat-server", "kv-server", "kv-client", "tcp-client",
            "udp-counter-server", "udp-client", "embed"})
    void everyCommandHasHelp(String command) {
        try (JarProcess p = JarProcess.run(JAR, command, "--help")) {
            assertThat(p.exitValue()).isZero();
            assertThat(p.stdoutText()).startsWith("Usage: ").contains(command).contains("--help");
            assertThat(p.stderrText()).isEmpty();
        }
    }

    @Test
    void theJarListsItsCommands() {
        try (JarProcess p = JarProcess.run(JAR, "--help")) {
            assertThat(p.exitValue()).isZero();
            assertThat(p.stdoutText()).contains("upper-server", "chat-server", "kv-server", "kv-client", "tcp-client",
                    "udp-counter-server", "udp-client", "embed");
        }
    }

    @Test
    void udpCounterServerCountsUdpClientsDatagramsAndStopsOnSigterm() throws Exception {
        try (JarProcess server = JarProcess.start(JAR, "udp-counter-server", "--port", "0", "--session-timeout", "1m")) {
            String port = server.awaitLine(LISTENING).group(1);
            try (JarProcess client = JarProcess.start(JAR, "udp-client", "--port", port, "--timeout", "10s")) {
                client.write("one\ntwo\nthree\n");
                client.closeStdin();
                assertThat(client.awaitExit(EXIT)).isZero();
                assertThat(client.stdout()).containsExactly("1 one", "2 two", "3 three");
            }
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void upperServerAnswersTcpClientAndStopsOnSigterm() throws Exception {
        try (JarProcess server = JarProcess.start(JAR, "upper-server", "--port", "0")) {
            int port = Integer.parseInt(server.awaitLine(LISTENING).group(1));
            try (TestClient client = TestClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                client.sendLine("direct");
                assertThat(client.readLine()).isEqualTo("DIRECT");
            }
            try (JarProcess client = JarProcess.start(JAR, "tcp-client", "--port", String.valueOf(port))) {
                client.write("hello\nnetserve\n");
                client.closeStdin();
                assertThat(client.awaitExit(EXIT)).isZero();
                assertThat(client.stdout()).containsExactly("HELLO", "NETSERVE");
            }
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void chatServerWithTcpClient() {
        try (JarProcess server = JarProcess.start(JAR, "chat-server", "--port", "0", "--max-line", "64")) {
            int port = Integer.parseInt(server.awaitLine(LISTENING).group(1));
            try (TestClient bob = TestClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                bob.sendLine("/nick bob");
                assertThat(bob.readLine()).isEqualTo("* you are bob");

                try (JarProcess ada = JarProcess.run(JAR, "tcp-client", "--port", String.valueOf(port),
                        "-m", "/nick ada", "-m", "hello bob")) {
                    assertThat(ada.exitValue()).isZero();
                    assertThat(ada.stdout()).containsExactly("* you are ada", "<ada> hello bob");
                }
                assertThat(bob.readLines(3)).containsExactly("* ada joined", "<ada> hello bob", "* ada left");

                bob.sendLine("z".repeat(65));
                assertThat(bob.readLine()).isEqualTo("! line too long: at most 64 bytes; closing");
                assertThat(bob.awaitClosed()).isEmpty();
            }
            server.awaitLine(".*INFO .* closing connection .*bob.*: line longer than 64 bytes");
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void kvServerWithKvClient() {
        try (JarProcess server = JarProcess.start(JAR, "kv-server", "--port", "0", "--max-frame", "128")) {
            String port = server.awaitLine(LISTENING).group(1);
            try (JarProcess set = JarProcess.run(JAR, "kv-client", "--port", port, "set", "city", "Zürich")) {
                assertThat(set.exitValue()).isZero();
                assertThat(set.stdout()).containsExactly("OK");
            }
            try (JarProcess get = JarProcess.run(JAR, "kv-client", "--port", port, "get", "city")) {
                assertThat(get.exitValue()).isZero();
                assertThat(get.stdout()).containsExactly("Zürich");
            }
            try (JarProcess del = JarProcess.run(JAR, "kv-client", "--port", port, "del", "city")) {
                assertThat(del.stdout()).containsExactly("OK");
            }
            try (JarProcess missing = JarProcess.run(JAR, "kv-client", "--port", port, "get", "city")) {
                assertThat(missing.exitValue()).isEqualTo(3);
                assertThat(missing.stderr()).containsExactly("samples kv-client: city: not found");
            }
            try (TestClient oversize = TestClient.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)))) {
                oversize.send(new byte[] {0, 0, 0, (byte) 129});   // a length field over --max-frame
                assertThat(oversize.awaitClosed()).isEmpty();
            }
            server.awaitLine(".*WARN .*closing connection .* after malformed input: .*exceeds.*");
            try (JarProcess after = JarProcess.run(JAR, "kv-client", "--port", port, "set", "still", "up")) {
                assertThat(after.exitValue()).as("the server goes on").isZero();
            }
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
            assertThat(server.stderrText()).isEmpty();
        }
    }

    @Test
    void tcpClientAgainstTheRealEchoServer() throws Exception {
        try (TcpServer echo = TcpServer.start(ServerConfig.defaults(), p -> p.addLast(EchoHandler.INSTANCE));
             JarProcess client = JarProcess.start(JAR, "tcp-client", "--port", String.valueOf(echo.localAddress().getPort()),
                     "--timeout", "10s")) {
            client.write("first line\nsecond, ünïcode\n");
            client.closeStdin();
            assertThat(client.awaitExit(EXIT)).isZero();
            assertThat(client.stdout()).containsExactly("first line", "second, ünïcode");
        }
    }

    @Test
    void tcpClientRefusedIsOneLineAndStatusOne() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = socket.getLocalPort();
        }
        try (JarProcess client = JarProcess.run(JAR, "tcp-client", "--port", String.valueOf(unused), "-m", "hi")) {
            assertThat(client.exitValue()).isEqualTo(1);
            assertThat(client.stderr()).containsExactly("samples tcp-client: cannot connect to 127.0.0.1:" + unused
                    + ": Connection refused");
            assertThat(client.stdout()).isEmpty();
        }
    }

    @Test
    void embedReportsItsPortServesAndStopsCleanly() throws Exception {
        try (JarProcess embed = JarProcess.start(JAR, "embed")) {
            Matcher started = embed.awaitLine("kv service started: tcp 127\\.0\\.0\\.1:(\\d+), udp 127\\.0\\.0\\.1:(\\d+)");
            try (JarProcess set = JarProcess.run(JAR, "kv-client", "--port", started.group(1), "set", "k", "v")) {
                assertThat(set.exitValue()).isZero();
            }
            try (JarProcess count = JarProcess.run(JAR, "udp-client", "--port", started.group(2), "-m", "ping")) {
                assertThat(count.exitValue()).isZero();
                assertThat(count.stdout()).containsExactly("1 ping");
            }
            embed.write("\n");
            assertThat(embed.awaitExit(EXIT)).isZero();
            assertThat(embed.stdout()).last().isEqualTo("kv service stopped");
        }
    }

    @Test
    void badCommandLinesAreStatusTwoWithAHint() {
        try (JarProcess p = JarProcess.run(JAR, "chat-server", "--max-line", "5")) {
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(p.stderrText()).contains("Invalid value for option '--max-line': maxLine must be between 16 and 65536, was 5")
                    .contains("--help").doesNotContain("Exception");
        }
        try (JarProcess p = JarProcess.run(JAR, "kv-server", "--port", "70000")) {
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(p.stderrText()).contains("--port");
        }
        try (JarProcess p = JarProcess.run(JAR, "kv-client", "get")) {
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(p.stderrText()).contains("Try 'samples kv-client --help'");
        }
    }

    @Test
    void aServerThatCannotBindIsStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             JarProcess p = JarProcess.run(JAR, "upper-server", "--port", String.valueOf(taken.getLocalPort()))) {
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(p.stderr()).singleElement().asString()
                    .contains("cannot bind 127.0.0.1:" + taken.getLocalPort()).doesNotContain("Exception");
        }
    }
}
