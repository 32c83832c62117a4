package io.netserve.echo.tcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netserve.test.JarProcess;
import io.netserve.core.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.netserve.echo.tcp.Loopback.assertClosedByPeer;
import static io.netserve.echo.tcp.Loopback.assertEchoes;
import static io.netserve.echo.tcp.Loopback.call;
import static io.netserve.echo.tcp.Loopback.randomBytes;
import static io.netserve.echo.tcp.Loopback.readAndVerify;
import static io.netserve.echo.tcp.Loopback.writeChunked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract of {@code echo-tcp.jar} from outside the JVM: what it prints, how it exits, and how
 * it behaves as a process on loopback. One process per test, always destroyed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoTcpJarIT {

    /** The jar under test: the path failsafe passes in, else the module's build output. */
    private static final Path JAR = Path.of(System.getProperty("echo.tcp.jar", "target/echo-tcp.jar"));


    private static final Duration EXIT = Duration.ofSeconds(20);

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopClientThreads() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("client threads ended").isTrue();
    }

    @Test
    void printsOneListeningLineWithTheRealPortAndEchoesThroughIt() throws Exception {
        try (JarProcess p = JarProcess.start(JAR, "--port", "0")) {
            InetSocketAddress address = p.awaitListening();

            assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(address.getPort()).isBetween(1, 65535);
            assertThat(p.stdout()).filteredOn(l -> l.contains("listening on")).hasSize(1)
                    .allMatch(l -> JarProcess.LISTENING.matcher(l).matches());
            try (Socket s = Loopback.connect(address)) {
                assertEchoes(s, "hello, echo".getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void setsNettysDefaultsUnlessTheUserSetThem() throws Exception {
        try (JarProcess p = JarProcess.start(JAR, "--port", "0")) {
            p.awaitListening();
            assertThat(systemProperties(p)).contains("io.netty.leakDetection.level=disabled",
                    "io.netty.allocator.lowMemory=false");
        }
        List<String> simple = List.of("env", "JDK_JAVA_OPTIONS=-Dio.netty.leakDetection.level=simple");
        try (JarProcess p = JarProcess.start(simple, JAR, "--port", "0")) {
            p.awaitListening();
            assertThat(systemProperties(p)).contains("io.netty.leakDetection.level=simple")
                    .doesNotContain("io.netty.leakDetection.level=disabled");
        }
    }

    private static String systemProperties(JarProcess p) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(p.pid()), "VM.system_properties").redirectErrorStream(true).start();
        String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(30, TimeUnit.SECONDS)).as("jcmd ended").isTrue();
        return text;
    }

    @Test
    void bracketsIpv6InTheListeningLine() throws Exception {
        assumeTrue(Loopback.ipv6LoopbackAvailable(), "no IPv6 loopback here");
        try (JarProcess p = JarProcess.start(JAR, "--host", "::1", "--port", "0")) {
            Matcher m = p.awaitStdout(Pattern.compile("^listening on \\[::1]:(\\d+) \\(transport=\\w+\\)$"));

            int port = Integer.parseInt(m.group(1));
            try (Socket s = Loopback.connect(new InetSocketAddress(InetAddress.getByName("::1"), port))) {
                assertEchoes(s, randomBytes(1000, 1));
            }
        }
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        JarProcess p = JarProcess.run(JAR, "--help");

        assertThat(p.awaitExit(EXIT)).isZero();
        String usage = String.join("\n", p.stdout());
        assertThat(usage).startsWith("Usage: echo-tcp");
        for (String option : List.of("--host", "--port", "--transport", "--io-threads", "--shutdown-timeout",
                "--idle-timeout", "--max-connections", "--write-stall-timeout", "--help", "--version")) {
            assertThat(usage).contains(option);
        }
        assertThat(p.stderr()).isEmpty();
    }

    @Test
    void versionListsEveryTransportAndExitsZero() throws Exception {
        JarProcess p = JarProcess.run(JAR, "--version");

        assertThat(p.awaitExit(EXIT)).isZero();
        String version = String.join("\n", p.stdout());
        assertThat(version).startsWith("echo-tcp ");
        for (Transport t : List.of(Transport.EPOLL, Transport.IO_URING, Transport.KQUEUE, Transport.NIO)) {
            assertThat(version).containsPattern("(?m)^\\s*" + t.cliName() + ": (available|unavailable \\(.+\\))$");
        }
        assertThat(p.stderr()).isEmpty();
    }

    @Test
    void unknownOptionExitsTwoNamingItWithAHintToHelp() throws Exception {
        JarProcess p = JarProcess.run(JAR, "--port", "0", "--bogus");

        assertUsageError(p, "--bogus");
    }

    @Test
    void portOutOfRangeExitsTwoNamingPort() throws Exception {
        JarProcess p = JarProcess.run(JAR, "--port", "70000");

        assertUsageError(p, "--port");
        assertThat(String.join("\n", p.stderr())).contains("70000");
    }

    @Test
    void malformedDurationExitsTwoNamingIdleTimeout() throws Exception {
        JarProcess p = JarProcess.run(JAR, "--port", "0", "--idle-timeout", "banana");

        assertUsageError(p, "--idle-timeout");
        assertThat(String.join("\n", p.stderr())).contains("banana");
    }

    @Test
    void portInUseExitsOneNamingTheAddressWithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());

            JarProcess p = JarProcess.run(JAR, "--port", port);

            assertStartFailure(p, "127.0.0.1:" + port);
        }
    }

    @Test
    void addressNotLocalExitsOne() throws Exception {
        // 192.0.2.1 (TEST-NET-1) is never a local address; binding it fails without sending anything.
        JarProcess p = JarProcess.run(JAR, "--host", "192.0.2.1", "--port", "0");

        assertStartFailure(p, "192.0.2.1");
    }

    @Test
    void unknownHostExitsOne() throws Exception {
        JarProcess p = JarProcess.run(JAR, "--host", "no-such-host.invalid", "--port", "0");

        assertStartFailure(p, "no-such-host.invalid");
    }

    @Test
    void unavailableTransportExitsOne() throws Exception {
        Optional<Transport> missing = Arrays.stream(Transport.values())
                .filter(t -> t != Transport.AUTO && !t.isAvailable()).findFirst();
        assumeTrue(missing.isPresent(), "every transport loads here");

        JarProcess p = JarProcess.run(JAR, "--port", "0", "--transport", missing.get().cliName());

        assertStartFailure(p, missing.get().cliName());
    }

    @Test
    void kqueueOnLinuxExitsOneWithTheLoadersReasonAndVersionSaysWhy() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "kqueue loads on BSD and macOS");

        JarProcess p = JarProcess.run(JAR, "--port", "0", "--transport", "kqueue");

        assertStartFailure(p, "kqueue");
        assertThat(String.join("\n", p.stderr())).containsPattern("transport kqueue is not available on this system: .+");
        JarProcess version = JarProcess.run(JAR, "--version");
        assertThat(version.stdout()).anyMatch(l -> l.matches("\\s*kqueue: unavailable \\(.+\\)"));
    }

    /**
     * SIGTERM while the echo of a stream is still on its way back: the server stops accepting,
     * finishes echoing what it received, closes, and exits 0 within the shutdown timeout.
     */
    @Test
    void sigtermFinishesTheEchoInFlightAndExitsZeroWithinTheShutdownTimeout() throws Exception {
        Duration shutdownTimeout = Duration.ofSeconds(5);
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--shutdown-timeout", "5s");
             Socket s = Loopback.connect(p.awaitListening())) {
            byte[] data = randomBytes(32 << 20, 2);
            AtomicLong echoed = new AtomicLong();
            Future<?> reader = pool.submit(call(() -> {
                readAndVerify(s.getInputStream(), data, echoed);
                assertThat(s.getInputStream().read()).as("end of stream after the echo").isEqualTo(-1);
            }));
            writeChunked(s.getOutputStream(), data, 0, data.length, null);

            p.terminate();
            long signalled = System.nanoTime();

            try {
                reader.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                p.awaitExit(EXIT);
                throw new AssertionError("the echo in flight was cut short: " + e.getCause() + "\n" + p, e.getCause());
            }
            // The drain is bounded by the shutdown timeout; JVM exit takes a moment more.
            Duration sinceSignal = Duration.ofNanos(System.nanoTime() - signalled);
            assertThat(p.awaitExit(shutdownTimeout.plusSeconds(2).minus(sinceSignal))).as("%s", p).isZero();
            assertThat(p.stdout()).anyMatch(l -> l.contains("shutdown 6/6"));
        }
    }

    @Test
    void sigintClosesConnectionsAndExitsZero() throws Exception {
        try (JarProcess p = JarProcess.start(JAR, "--port", "0");
             Socket s = Loopback.connect(p.awaitListening())) {
            assertEchoes(s, new byte[] {1, 2, 3});

            p.signal("INT");

            assertClosedByPeer(s);
            assertThat(p.awaitExit(EXIT)).as("%s", p).isZero();
            assertThat(p.stdout()).anyMatch(l -> l.contains("termination signal received"));
        }
    }

    @Test
    void idleTimeoutClosesAnIdleConnectionAndLogsIt() throws Exception {
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--idle-timeout", "300ms");
             Socket s = Loopback.connect(p.awaitListening())) {
            assertEchoes(s, new byte[] {7});

            assertClosedByPeer(s);

            String client = "127.0.0.1:" + s.getLocalPort();
            p.awaitStdout(Pattern.compile("closing idle connection .*" + Pattern.quote(client)));
        }
    }

    @Test
    void logFormatJsonWritesEachEventAsOneJsonObjectWithThePeerButTheListeningLineStaysText() throws Exception {
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--idle-timeout", "300ms", "--log-format", "json");
             Socket s = Loopback.connect(p.awaitListening())) {
            assertEchoes(s, new byte[] {7});
            assertClosedByPeer(s);

            String client = "127.0.0.1:" + s.getLocalPort();
            p.awaitStdout(Pattern.compile("\"closing idle connection .*" + Pattern.quote(client)));
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> events = new ArrayList<>();
            for (String line : p.stdout()) {
                if (!JarProcess.LISTENING.matcher(line).matches()) {
                    events.add(json.readTree(line));   // every other line parses as JSON
                }
            }
            assertThat(events).allSatisfy(e -> assertThat(e.has("timestamp") && e.has("level") && e.has("logger")
                    && e.has("message")).as("%s", e).isTrue());
            JsonNode idle = events.stream().filter(e -> e.get("message").asText().startsWith("closing idle"))
                    .findFirst().orElseThrow();
            assertThat(idle.get("level").asText()).isEqualTo("INFO");
            assertThat(idle.get("logger").asText()).isEqualTo("io.netserve.core.idle");
            assertThat(idle.get("remote").asText()).isEqualTo(client);
            assertThat(idle.get("channel").asText()).isNotBlank();
        }
    }

    @Test
    void writeStallTimeoutClosesAPeerThatStoppedReadingAndLogsIt() throws Exception {
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--write-stall-timeout", "500ms");
             Socket s = Loopback.connect(p.awaitListening())) {
            Future<?> writer = pool.submit(call(() ->
                    writeChunked(s.getOutputStream(), randomBytes(64 << 20, 3), 0, 64 << 20, null)));

            p.awaitStdout(Pattern.compile("closing stalled connection .*" + Pattern.quote("127.0.0.1:" + s.getLocalPort())));
            assertThat(writer).failsWithin(EXIT);   // the blocked write fails once the server closes
        }
    }

    @Test
    void servesTwoThousandConnectionsAtOnce() throws Exception {
        int connections = 2000;
        List<Socket> open = new ArrayList<>();
        try (JarProcess p = JarProcess.start(JAR, "--port", "0")) {
            InetSocketAddress address = p.awaitListening();
            for (int i = 0; i < connections; i++) {
                Socket s = Loopback.connect(address);
                open.add(s);
                assertEchoes(s, new byte[] {(byte) i});
            }
            for (int i = 0; i < connections; i++) {   // all still open and served at once
                assertEchoes(open.get(i), new byte[] {(byte) ~i});
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void maxConnectionsOneClosesTheSecondAtOnce() throws Exception {
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--max-connections", "1")) {
            InetSocketAddress address = p.awaitListening();
            try (Socket first = Loopback.connect(address)) {
                assertEchoes(first, new byte[] {1});   // admitted before the second one arrives
                Socket second = Loopback.connect(address);
                second.setSoTimeout(5_000);
                assertClosedByPeer(second);

                second.close();

                assertEchoes(first, new byte[] {2});
                p.awaitStdout(Pattern.compile("connection limit 1 reached"));
            }
        }
    }

    private static void assertUsageError(JarProcess p, String option) throws InterruptedException {
        assertThat(p.awaitExit(EXIT)).as("%s", p).isEqualTo(2);
        String err = String.join("\n", p.stderr());
        assertThat(err).contains(option).contains("--help");
        assertThat(p.stdout()).noneMatch(l -> l.contains("listening on"));
        p.assertNoStackTrace();
    }

    private static void assertStartFailure(JarProcess p, String culprit) throws InterruptedException {
        assertThat(p.awaitExit(EXIT)).as("%s", p).isEqualTo(1);
        assertThat(p.stderr()).as("%s", p).hasSize(1);
        assertThat(p.stderr().get(0)).contains(culprit);
        assertThat(p.stdout()).noneMatch(l -> l.contains("listening on"));
        p.assertNoStackTrace();
    }
}
