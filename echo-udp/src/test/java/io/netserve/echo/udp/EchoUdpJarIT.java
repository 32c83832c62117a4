package io.netserve.echo.udp;

import io.netserve.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The outside contract of {@code echo-udp/target/echo-udp.jar}, as a script or an operator meets
 * it: run with {@code java -jar} alone, talked to over real sockets, stopped with SIGTERM.
 */
class EchoUdpJarIT {

    private static final Path JAR = Path.of("target", "echo-udp.jar");
    private static final Pattern LISTENING =
            Pattern.compile("listening on (127\\.0\\.0\\.1|\\[::1]):(\\d+) \\(transport=(epoll|io_uring|nio)\\)");
    private static final Duration START = Duration.ofSeconds(30);

    private final List<JarProcess> processes = new ArrayList<>();
    private final List<DatagramSocket> sockets = new ArrayList<>();

    @AfterEach
    void tearDown() {
        sockets.forEach(DatagramSocket::close);
        processes.forEach(JarProcess::kill);
    }

    @Test
    void printsTheListeningLineEchoesAndExitsZeroOnSigterm() throws Exception {
        JarProcess jar = start("--port", "0");
        Matcher listening = jar.awaitListening();
        int port = Integer.parseInt(listening.group(2));
        assertThat(port).isPositive();
        DatagramSocket client = client("127.0.0.1");
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);

        for (int size : new int[] {0, 1, 1400, 65_507}) {
            byte[] payload = new byte[size];
            new Random(size).nextBytes(payload);
            client.send(new DatagramPacket(payload, size, server));
            assertThat(receive(client)).as("the reply to %d bytes", size).isEqualTo(payload);
        }
        assertSilent(client);

        jar.sigterm();
        assertThat(jar.awaitExit()).isZero();
        assertThat(jar.stdout()).filteredOn(line -> line.startsWith("listening on")).hasSize(1);
        assertThat(String.join("\n", jar.stdout())).contains("termination signal received")
                .contains("shutdown 3/3: stopped 127.0.0.1:" + port);
        assertThat(jar.stderr()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING"})
    void runsOnEachTransportThatLoads(Transport transport) throws Exception {
        assumeThat(transport.isAvailable()).as("%s is not available here", transport).isTrue();
        JarProcess jar = start("--port", "0", "--transport", transport.cliName(), "--io-threads", "2");
        Matcher listening = jar.awaitListening();
        assertThat(listening.group(3)).isEqualTo(transport.cliName());

        int port = Integer.parseInt(listening.group(2));
        for (int i = 0; i < 8; i++) {
            DatagramSocket client = client("127.0.0.1");
            client.send(new DatagramPacket(new byte[] {(byte) i}, 1, new InetSocketAddress("127.0.0.1", port)));
            assertThat(receive(client)).containsExactly((byte) i);
        }
        jar.sigterm();
        assertThat(jar.awaitExit()).isZero();
    }

    @Test
    void printsIpv6InBrackets() throws Exception {
        assumeThat(bindable("::1")).as("IPv6 loopback ::1 is not available here").isTrue();
        JarProcess jar = start("--host", "::1", "--port", "0");
        Matcher listening = jar.awaitListening();
        assertThat(listening.group(1)).isEqualTo("[::1]");

        DatagramSocket client = client("::1");
        client.send(new DatagramPacket(new byte[] {6}, 1, new InetSocketAddress("::1", Integer.parseInt(listening.group(2)))));
        assertThat(receive(client)).containsExactly((byte) 6);
    }

    @Test
    void dropsOversizeDatagramsAndPastTheRate() throws Exception {
        JarProcess jar = start("--port", "0", "--max-datagram-size", "100", "--rate-limit", "5");
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(jar.awaitListening().group(2)));
        DatagramSocket client = client("127.0.0.1");

        client.send(new DatagramPacket(new byte[101], 101, server));
        client.send(new DatagramPacket(new byte[100], 100, server));
        assertThat(receive(client)).hasSize(100);
        assertSilent(client);

        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            client.send(new DatagramPacket(new byte[] {(byte) i}, 1, server));
        }
        int answered = drain(client);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(answered).isBetween(3, 4 + (int) Math.ceil(seconds * 5));

        DatagramSocket other = client("127.0.0.2");
        other.send(new DatagramPacket(new byte[] {42}, 1, server));
        assertThat(receive(other)).containsExactly((byte) 42);
    }

    @Test
    void dropsPrivilegedSourcePortsUnlessAllowed() throws Exception {
        DatagramSocket client = privilegedClient();
        JarProcess strict = start("--port", "0");
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(strict.awaitListening().group(2)));
        client.send(new DatagramPacket(new byte[] {7}, 1, server));
        assertSilent(client);

        JarProcess open = start("--port", "0", "--allow-privileged-source-ports");
        server = new InetSocketAddress("127.0.0.1", Integer.parseInt(open.awaitListening().group(2)));
        client.send(new DatagramPacket(new byte[] {7}, 1, server));
        assertThat(receive(client)).containsExactly((byte) 7);
    }

    @Test
    void helpAndVersionPrintAndExitZero() throws Exception {
        JarProcess help = start("--help");
        assertThat(help.awaitExit()).isZero();
        assertThat(String.join("\n", help.stdout())).contains("Usage: echo-udp")
                .contains("--host", "--port", "--transport", "--io-threads", "--shutdown-timeout",
                        "--max-datagram-size", "--rate-limit", "--allow-privileged-source-ports", "--version");

        JarProcess version = start("--version");
        assertThat(version.awaitExit()).isZero();
        assertThat(String.join("\n", version.stdout())).startsWith("echo-udp ").contains("nio: available");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--max-datagram-size=0", "--max-datagram-size=65508", "--rate-limit=-1",
            "--rate-limit=fast", "--port=70000", "--io-threads=0", "--transport=dpdk", "--shutdown-timeout=soon"})
    void aBadCommandLineExitsTwoNamingTheOption(String arg) throws Exception {
        JarProcess jar = start(arg);

        assertThat(jar.awaitExit()).isEqualTo(2);
        String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String stderr = String.join("\n", jar.stderr());
        assertThat(stderr).contains(option).contains("Try 'echo-udp --help' for more information.")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(jar.stdout()).noneMatch(line -> line.startsWith("listening on"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "nio"})
    void aPortInUseExitsOne(String transport) throws Exception {
        DatagramSocket taken = client("127.0.0.1");
        int port = taken.getLocalPort();

        JarProcess jar = start("--port", String.valueOf(port), "--transport", transport, "--io-threads", "2");

        assertThat(jar.awaitExit()).isEqualTo(1);
        assertThat(jar.stderr()).singleElement().asString()
                .startsWith("echo-udp: cannot bind 127.0.0.1:" + port + ": ")
                .endsWith("Address already in use");
    }

    @Test
    void aSecondInstanceOnTheSamePortExitsOne() throws Exception {
        JarProcess first = start("--port", "0");
        String port = first.awaitListening().group(2);

        JarProcess second = start("--port", port);

        assertThat(second.awaitExit()).isEqualTo(1);
        assertThat(String.join("\n", second.stderr())).contains("Address already in use");
    }

    @Test
    void anUnknownHostExitsOne() throws Exception {
        JarProcess jar = start("--host", "no-such-host.invalid", "--port", "0");

        assertThat(jar.awaitExit()).isEqualTo(1);
        assertThat(jar.stderr()).singleElement().asString().contains("no-such-host.invalid");
    }

    private JarProcess start(String... args) throws IOException {
        assertThat(JAR).as("the shaded jar, built by the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(Arrays.asList(args));
        JarProcess jar = new JarProcess(new ProcessBuilder(command).start());
        processes.add(jar);
        return jar;
    }

    private DatagramSocket client(String host) throws IOException {
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(new InetSocketAddress(host, 0));
        } catch (BindException e) {
            assumeThat(false).as("cannot bind a client to %s: %s", host, e.getMessage()).isTrue();
            throw e;
        }
        socket.setSoTimeout(5_000);
        sockets.add(socket);
        return socket;
    }

    /** A client on a source port below 1024: needs root (or CAP_NET_BIND_SERVICE), else the test is skipped. */
    private DatagramSocket privilegedClient() throws IOException {
        for (int port = 1023; port >= 600; port--) {
            try {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
                socket.setSoTimeout(5_000);
                sockets.add(socket);
                return socket;
            } catch (BindException e) {
                if (String.valueOf(e.getMessage()).contains("Permission denied")) {
                    assumeThat(false).as("binding a source port below 1024 needs root or CAP_NET_BIND_SERVICE: %s",
                            e.getMessage()).isTrue();
                }
            }
        }
        throw new IllegalStateException("no free UDP port between 600 and 1023 on 127.0.0.1");
    }

    private static byte[] receive(DatagramSocket socket) throws IOException {
        DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(reply);
        return Arrays.copyOf(reply.getData(), reply.getLength());
    }

    private static void assertSilent(DatagramSocket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(300);
        try {
            assertThatThrownBy(() -> receive(socket)).as("an unexpected datagram").isInstanceOf(SocketTimeoutException.class);
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    private static int drain(DatagramSocket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(300);
        int count = 0;
        try {
            while (true) {
                receive(socket);
                count++;
            }
        } catch (SocketTimeoutException e) {
            return count;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    private static boolean bindable(String host) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0))) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** A running {@code java -jar}, its output collected line by line as it comes. */
    private static final class JarProcess {
        final Process process;
        private final List<String> stdout = new CopyOnWriteArrayList<>();
        private final List<String> stderr = new CopyOnWriteArrayList<>();
        private final Thread outReader;
        private final Thread errReader;

        JarProcess(Process process) {
            this.process = process;
            this.outReader = collect(process.getInputStream(), stdout);
            this.errReader = collect(process.getErrorStream(), stderr);
        }

        private static Thread collect(InputStream in, List<String> lines) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "jar-output");
            t.setDaemon(true);
            t.start();
            return t;
        }

        Matcher awaitListening() {
            await().atMost(START).until(() -> stdout.stream().anyMatch(l -> LISTENING.matcher(l).matches())
                    || !process.isAlive());
            return stdout.stream().map(LISTENING::matcher).filter(Matcher::matches).findFirst()
                    .orElseThrow(() -> new AssertionError("no listening line; stdout " + stdout + ", stderr " + stderr));
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the jar exits").isTrue();
            outReader.join(5_000);
            errReader.join(5_000);
            return process.exitValue();
        }

        /** Sends SIGTERM; unlike {@code Process.destroy()}, leaves our ends of its output open to read the rest. */
        void sigterm() {
            assertThat(process.toHandle().destroy()).as("SIGTERM delivered").isTrue();
        }

        List<String> stdout() {
            return stdout;
        }

        List<String> stderr() {
            return stderr;
        }

        void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
