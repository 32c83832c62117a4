package io.netserve.samples;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.TcpServer;
import io.netserve.core.testing.TestClient;
import io.netserve.echo.tcp.EchoHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/** Every sample as documented: {@code java -jar samples/target/samples.jar <command> ...}, as real processes. */
class SamplesJarIT {

    private static final String LISTENING = "listening on 127\\.0\\.0\\.1:(\\d+) \\(transport=(nio|epoll|io_uring)\\)";

    @ParameterizedTest
    @ValueSource(strings = {"upper-server", "chat-server", "kv-server", "kv-client", "tcp-client",
            "udp-counter-server", "udp-client", "embed"})
    void everyCommandHasHelp(String command) {
        try (JarProcess p = JarProcess.run(command, "--help")) {
            assertThat(p.exitValue()).isZero();
            assertThat(p.outText()).startsWith("Usage: ").contains(command).contains("--help");
            assertThat(p.errText()).isEmpty();
        }
    }

    @Test
    void theJarListsItsCommands() {
        try (JarProcess p = JarProcess.run("--help")) {
            assertThat(p.exitValue()).isZero();
            assertThat(p.outText()).contains("upper-server", "chat-server", "kv-server", "kv-client", "tcp-client",
                    "udp-counter-server", "udp-client", "embed");
        }
    }

    @Test
    void udpCounterServerCountsUdpClientsDatagramsAndStopsOnSigterm() throws Exception {
        try (JarProcess server = JarProcess.start("udp-counter-server", "--port", "0", "--session-timeout", "1m")) {
            String port = server.awaitLine(LISTENING).group(1);
            try (JarProcess client = JarProcess.start("udp-client", "--port", port, "--timeout", "10s")) {
                client.write("one\ntwo\nthree\n");
                client.closeStdin();
                assertThat(client.awaitExit()).isZero();
                assertThat(client.out()).containsExactly("1 one", "2 two", "3 three");
            }
            server.terminate();
            assertThat(server.awaitExit()).isZero();
        }
    }

    @Test
    void upperServerAnswersTcpClientAndStopsOnSigterm() throws Exception {
        try (JarProcess server = JarProcess.start("upper-server", "--port", "0")) {
            int port = Integer.parseInt(server.awaitLine(LISTENING).group(1));
            try (TestClient client = TestClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                client.sendLine("direct");
                assertThat(client.readLine()).isEqualTo("DIRECT");
            }
            try (JarProcess client = JarProcess.start("tcp-client", "--port", String.valueOf(port))) {
                client.write("hello\nnetserve\n");
                client.closeStdin();
                assertThat(client.awaitExit()).isZero();
                assertThat(client.out()).containsExactly("HELLO", "NETSERVE");
            }
            server.terminate();
            assertThat(server.awaitExit()).isZero();
        }
    }

    @Test
    void chatServerWithTcpClient() {
        try (JarProcess server = JarProcess.start("chat-server", "--port", "0", "--max-line", "64")) {
            int port = Integer.parseInt(server.awaitLine(LISTENING).group(1));
            try (TestClient bob = TestClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                bob.sendLine("/nick bob");
                assertThat(bob.readLine()).isEqualTo("* you are bob");

                try (JarProcess ada = JarProcess.run("tcp-client", "--port", String.valueOf(port),
                        "-m", "/nick ada", "-m", "hello bob")) {
                    assertThat(ada.exitValue()).isZero();
                    assertThat(ada.out()).containsExactly("* you are ada", "<ada> hello bob");
                }
                assertThat(bob.readLines(3)).containsExactly("* ada joined", "<ada> hello bob", "* ada left");

                bob.sendLine("z".repeat(65));
                assertThat(bob.readLine()).isEqualTo("! line too long: at most 64 bytes; closing");
                assertThat(bob.awaitClosed()).isEmpty();
            }
            server.awaitLine(".*INFO .* closing connection .*bob.*: line longer than 64 bytes");
            server.terminate();
            assertThat(server.awaitExit()).isZero();
        }
    }

    @Test
    void kvServerWithKvClient() {
        try (JarProcess server = JarProcess.start("kv-server", "--port", "0", "--max-frame", "128")) {
            String port = server.awaitLine(LISTENING).group(1);
            try (JarProcess set = JarProcess.run("kv-client", "--port", port, "set", "city", "Zürich")) {
                assertThat(set.exitValue()).isZero();
                assertThat(set.out()).containsExactly("OK");
            }
            try (JarProcess get = JarProcess.run("kv-client", "--port", port, "get", "city")) {
                assertThat(get.exitValue()).isZero();
                assertThat(get.out()).containsExactly("Zürich");
            }
            try (JarProcess del = JarProcess.run("kv-client", "--port", port, "del", "city")) {
                assertThat(del.out()).containsExactly("OK");
            }
            try (JarProcess missing = JarProcess.run("kv-client", "--port", port, "get", "city")) {
                assertThat(missing.exitValue()).isEqualTo(3);
                assertThat(missing.err()).containsExactly("samples kv-client: city: not found");
            }
            try (TestClient oversize = TestClient.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)))) {
                oversize.send(new byte[] {0, 0, 0, (byte) 129});   // a length field over --max-frame
                assertThat(oversize.awaitClosed()).isEmpty();
            }
            server.awaitLine(".*WARN .*closing connection .*: malformed input: .*exceeds.*");
            try (JarProcess after = JarProcess.run("kv-client", "--port", port, "set", "still", "up")) {
                assertThat(after.exitValue()).as("the server goes on").isZero();
            }
            server.terminate();
            assertThat(server.awaitExit()).isZero();
            assertThat(server.errText()).isEmpty();
        }
    }

    @Test
    void tcpClientAgainstTheRealEchoServer() throws Exception {
        try (TcpServer echo = TcpServer.start(ServerConfig.defaults(), p -> p.addLast(EchoHandler.INSTANCE));
             JarProcess client = JarProcess.start("tcp-client", "--port", String.valueOf(echo.localAddress().getPort()),
                     "--timeout", "10s")) {
            client.write("first line\nsecond, ünïcode\n");
            client.closeStdin();
            assertThat(client.awaitExit()).isZero();
            assertThat(client.out()).containsExactly("first line", "second, ünïcode");
        }
    }

    @Test
    void tcpClientRefusedIsOneLineAndStatusOne() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = socket.getLocalPort();
        }
        try (JarProcess client = JarProcess.run("tcp-client", "--port", String.valueOf(unused), "-m", "hi")) {
            assertThat(client.exitValue()).isEqualTo(1);
            assertThat(client.err()).containsExactly("samples tcp-client: cannot connect to 127.0.0.1:" + unused
                    + ": Connection refused");
            assertThat(client.out()).isEmpty();
        }
    }

    @Test
    void embedReportsItsPortServesAndStopsCleanly() throws Exception {
        try (JarProcess embed = JarProcess.start("embed")) {
            Matcher started = embed.awaitLine("kv service started: tcp 127\\.0\\.0\\.1:(\\d+), udp 127\\.0\\.0\\.1:(\\d+)");
            try (JarProcess set = JarProcess.run("kv-client", "--port", started.group(1), "set", "k", "v")) {
                assertThat(set.exitValue()).isZero();
            }
            try (JarProcess count = JarProcess.run("udp-client", "--port", started.group(2), "-m", "ping")) {
                assertThat(count.exitValue()).isZero();
                assertThat(count.out()).containsExactly("1 ping");
            }
            embed.write("\n");
            assertThat(embed.awaitExit()).isZero();
            assertThat(embed.out()).last().isEqualTo("kv service stopped");
        }
    }

    @Test
    void badCommandLinesAreStatusTwoWithAHint() {
        try (JarProcess p = JarProcess.run("chat-server", "--max-line", "5")) {
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(p.errText()).contains("Invalid value for option '--max-line': maxLine must be between 16 and 65536, was 5")
                    .contains("--help").doesNotContain("Exception");
        }
        try (JarProcess p = JarProcess.run("kv-server", "--port", "70000")) {
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(p.errText()).contains("--port");
        }
        try (JarProcess p = JarProcess.run("kv-client", "get")) {
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(p.errText()).contains("Try 'samples kv-client --help'");
        }
    }

    @Test
    void aServerThatCannotBindIsStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             JarProcess p = JarProcess.run("upper-server", "--port", String.valueOf(taken.getLocalPort()))) {
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(p.err()).singleElement().asString()
                    .contains("cannot bind 127.0.0.1:" + taken.getLocalPort()).doesNotContain("Exception");
        }
    }
}
