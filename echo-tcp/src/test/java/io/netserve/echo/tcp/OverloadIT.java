package io.netserve.echo.tcp;

import io.netserve.test.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.netserve.echo.tcp.Loopback.assertEchoes;
import static io.netserve.echo.tcp.Loopback.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The overload policy of {@code echo-tcp.jar} from outside, as a process under many clients at
 * once (Linux: it reads the open-files limit and the resident memory from {@code /proc}). Each
 * test needs as many open files as it has clients, in this JVM and in the server's, plus some
 * room: 5,000 clients want {@code ulimit -n} of at least 5,200 (the tests are skipped, saying
 * so, below that).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OverloadIT {

    private static final Path JAR = Path.of(System.getProperty("echo.tcp.jar", "target/echo-tcp.jar"));
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern DROPPED = Pattern.compile("dropped (\\d+) log events: standard output was not read");
    private static final Pattern IDLE_LINE = Pattern.compile("closing idle connection ");
    private static final Pattern IDLE_SUMMARY = Pattern.compile("closed (\\d+) more idle connections in the last second");

    /**
     * Standard output not read (a stuck log shipper): at DEBUG each connection's open and close is
     * a line, so 2,000 clients that go idle make far more than the pipe holds. The server drops and
     * counts what it cannot write, and echoes a new client at once; once the output is read again
     * one line says how many lines were lost.
     */
    @Test
    void aStuckStandardOutputCostsLogLinesNotTheService() throws Exception {
        int clients = 2_000;
        assumeOpenFiles(clients);
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--idle-timeout", "1s", "--log-level", "debug",
                "--admin-port", "0")) {
            InetSocketAddress address = p.awaitListening();
            InetSocketAddress admin = p.awaitAdmin();
            p.pauseStdout();

            try (ManyClients idle = ManyClients.connect(address, clients, 0)) {
                await().atMost(WAIT).until(() -> idle.closed() == clients);   // every one closed as idle
            }

            // A generous timeout, not a timing assertion: a frozen server never answers at all.
            try (Socket fresh = Loopback.connect(address)) {
                fresh.setSoTimeout(10_000);
                assertEchoes(fresh, randomBytes(1000, 1));
            }
            assertThat(p.stdout()).noneMatch(l -> DROPPED.matcher(l).find());

            p.resumeStdout();
            Matcher dropped = p.awaitStdout(DROPPED);
            long lost = Long.parseLong(dropped.group(1));
            assertThat(lost).as("log events dropped").isPositive();
            assertThat(p.stdout()).filteredOn(l -> DROPPED.matcher(l).find()).hasSize(1);
            assertThat(OperationsJarIT.sample(OperationsJarIT.scrape(admin), "netserve_log_events_dropped_total"))
                    .isGreaterThanOrEqualTo(lost);
            p.terminate();
            assertThat(p.awaitExit(Duration.ofSeconds(30))).as("%s", p).isZero();
        }
    }

    /** 3,000 idle closes: a few lines a second, carrying the counts, not 3,000 lines. */
    @Test
    void idleClosesAreLoggedAtMostAboutOnceASecondWithTheCountOfTheOthers() throws Exception {
        int clients = 3_000;
        assumeOpenFiles(clients);
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--idle-timeout", "1s")) {
            InetSocketAddress address = p.awaitListening();
            long start = System.nanoTime();
            try (ManyClients idle = ManyClients.connect(address, clients, 0)) {
                await().atMost(WAIT).until(() -> idle.closed() == clients);
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + 1;

            await().atMost(WAIT).until(() -> logged(p.stdout()) == clients);   // the last summary comes a second later
            List<String> lines = p.stdout().stream()
                    .filter(l -> IDLE_LINE.matcher(l).find() || IDLE_SUMMARY.matcher(l).find()).toList();
            assertThat(lines).as("lines about idle closes in %d s", seconds)
                    .hasSizeLessThanOrEqualTo((int) (2 * seconds + 2))
                    .anyMatch(l -> IDLE_SUMMARY.matcher(l).find());
        }
    }

    /**
     * 5,000 clients that write without reading: the server-wide budget keeps the server's resident
     * memory growth under 160 MiB with the defaults, a fresh client is served in under a second,
     * and each slow client that reads later gets exactly what it sent. The write-stall timeout is
     * raised so that none is closed before it reads.
     */
    @Test
    void fiveThousandClientsThatWriteWithoutReadingStayWithinTheBudget() throws Exception {
        int clients = 5_000;
        // The kernel's socket buffers take in about 1.3 GiB of such traffic (tcp_mem) before the
        // server must hold any: 5,000 x 384 KiB offers 1.9 GiB, so the budget is what bounds the rest.
        int bytesEach = 384 * 1024;
        assumeOpenFiles(clients);
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "resident memory is read from /proc");
        try (JarProcess p = JarProcess.start(JAR, "--port", "0", "--write-stall-timeout", "300s")) {
            InetSocketAddress address = p.awaitListening();
            try (Socket warmUp = Loopback.connect(address)) {
                assertEchoes(warmUp, randomBytes(1 << 20, 2));
            }
            long before = p.residentBytes();

            try (ManyClients writers = ManyClients.connect(address, clients, bytesEach)) {
                writers.startWriting();
                long[] peak = {before};
                long[] last = {-1};
                int[] quiet = {0};
                await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                    peak[0] = Math.max(peak[0], p.residentBytes());
                    long written = writers.written();
                    quiet[0] = written == last[0] ? quiet[0] + 1 : 0;
                    last[0] = written;
                    return quiet[0] >= 8;   // two seconds without progress: every path is full
                });
                for (int i = 0; i < 8; i++) {
                    peak[0] = Math.max(peak[0], p.residentBytes());
                    TimeUnit.MILLISECONDS.sleep(250);   // sampling a stalled server's memory, on purpose
                }
                long growth = peak[0] - before;

                long fastest = Long.MAX_VALUE;
                for (int i = 0; i < 3; i++) {   // the best of three: one unlucky scheduling is not the server
                    long start = System.nanoTime();
                    try (Socket fresh = Loopback.connect(address)) {
                        fresh.setSoTimeout(10_000);
                        assertEchoes(fresh, randomBytes(1000, 3 + i));
                    }
                    fastest = Math.min(fastest, System.nanoTime() - start);
                }

                writers.startReading();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(writers::allEchoed);

                assertThat(growth).as("resident memory growth in bytes (%d MiB)", growth >> 20)
                        .isLessThan(160L << 20);
                assertThat(Duration.ofNanos(fastest)).as("a fresh client's echo").isLessThan(Duration.ofSeconds(1));
                assertThat(writers.closed()).as("clients closed by the server").isZero();
            }
            assertThat(p.stdout()).noneMatch(l -> l.contains("LEAK"));
            p.terminate();
            assertThat(p.awaitExit(Duration.ofSeconds(30))).as("%s", p).isZero();
        }
    }

    /** The number of idle closes the log accounts for: one a line, plus the count of each summary. */
    private static long logged(List<String> stdout) {
        long n = 0;
        for (String line : stdout) {
            Matcher summary = IDLE_SUMMARY.matcher(line);
            if (summary.find()) {
                n += Long.parseLong(summary.group(1));
            } else if (IDLE_LINE.matcher(line).find()) {
                n++;
            }
        }
        return n;
    }

    /** Skips the test unless this process may open {@code sockets} more files, and some room. */
    private static void assumeOpenFiles(int sockets) throws IOException {
        long limit = Long.MAX_VALUE;
        Path limits = Path.of("/proc/self/limits");
        if (Files.isReadable(limits)) {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    limit = soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        }
        assumeTrue(limit >= sockets + 200L, "needs an open-files limit (ulimit -n) of at least " + (sockets + 200)
                + ", is " + limit);
    }
}
