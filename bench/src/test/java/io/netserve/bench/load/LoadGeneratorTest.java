package io.netserve.bench.load;

import io.netserve.bench.baseline.BareNettyEcho;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.uring.IoUring;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The load generator end to end on loopback: every scenario against the bare Netty echo on each
 * client transport that loads, and the failures it must report (a corrupted or cut echo, a server
 * that closes or goes quiet) with their exit statuses.
 */
class LoadGeneratorTest {

    private static BareNettyEcho tcpEcho;
    private static BareNettyEcho udpEcho;

    @BeforeAll
    static void startEchoServers() throws InterruptedException {
        tcpEcho = BareNettyEcho.start("tcp", new InetSocketAddress("127.0.0.1", 0), 1, "auto");
        udpEcho = BareNettyEcho.start("udp", new InetSocketAddress("127.0.0.1", 0), 1, "auto");
    }

    @AfterAll
    static void stopEchoServers() {
        tcpEcho.close();
        udpEcho.close();
    }

    static Stream<String> transports() {
        Stream.Builder<String> loaded = Stream.<String>builder().add("nio");
        if (Epoll.isAvailable()) {
            loaded.add("epoll");
        }
        if (IoUring.isAvailable()) {
            loaded.add("io_uring");
        }
        return loaded.build();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void tcpThroughputChecksEveryByteAndReportsOneResultLine(String transport) {
        Ran r = run("tcp-throughput", "--port", tcpPort(), "--transport", transport, "--conns", "4",
                "--size", "100", "--pipeline", "8");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.result("scenario")).isEqualTo("\"tcp-throughput\"");
        assertThat(r.result("transport")).isEqualTo("\"" + transport + "\"");
        assertThat(r.number("msgs")).isPositive();
        assertThat(r.number("mib_per_s")).isPositive();
        assertThat(r.number("p99_us")).isGreaterThanOrEqualTo(r.number("p50_us"));
        assertThat(r.number("mismatches")).isZero();
        assertThat(r.out).contains("msgs/s", "round trip µs");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void bulkMessagesLargerThanOneChunkAreChecked(String transport) {
        Ran r = run("tcp-throughput", "--port", tcpPort(), "--transport", transport, "--conns", "2",
                "--size", "100000", "--pipeline", "2");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.number("msgs")).isPositive();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void tcpLatencyKeepsOneMessageInFlight(String transport) {
        Ran r = run("tcp-latency", "--port", tcpPort(), "--transport", transport);
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.number("pipeline")).isEqualTo(1);
        assertThat(r.number("msgs")).isPositive();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void connectRateCountsConnections(String transport) {
        Ran r = run("tcp-connect-rate", "--port", tcpPort(), "--transport", transport, "--conns", "2");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.number("conns_per_s")).isPositive();
        assertThat(r.number("mismatches")).isZero();
        assertThat(r.out).contains("conns/s");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void connectRateSendsAndChecksTheLargestMessage(String transport) {
        // 64 KiB: more than a new socket's send buffer takes at once, and echoed in several reads.
        Ran r = run("tcp-connect-rate", "--port", tcpPort(), "--transport", transport, "--conns", "2",
                "--size", "65536");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.number("msgs")).isPositive();
        assertThat(r.number("mib_per_s")).isPositive();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aCorruptedConnectEchoIsAMismatchWithExitStatus3(String transport) throws InterruptedException {
        try (TestServers s = TestServers.tcp(() -> new CorruptingTcpEcho(0))) {
            Ran r = run("tcp-connect-rate", "--port", String.valueOf(s.port()), "--transport", transport);
            assertThat(r.status).as(r.err).isEqualTo(3);
            assertThat(r.err).contains("MISMATCH", "the echo of its 1-byte message does not match");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aConnectionClosedBeforeItsEchoFailsTheConnectRate(String transport) throws InterruptedException {
        try (TestServers s = TestServers.tcp(ClosingTcpEcho::new)) {
            Ran r = run("tcp-connect-rate", "--port", String.valueOf(s.port()), "--transport", transport);
            assertThat(r.status).as(r.err).isEqualTo(1);
            assertThat(r.err).contains("closed by the server before its echo (0 of 1 bytes)");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void udpThroughputLosesNothingOnLoopback(String transport) {
        Ran r = run("udp-throughput", "--port", udpPort(), "--transport", transport, "--conns", "2",
                "--size", "64", "--window", "4", "--timeout-ms", "1000");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.number("msgs")).isPositive();
        assertThat(r.number("window")).isEqualTo(4);
        boolean gso = transport.equals("epoll") && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        assertThat(r.result("gso")).isEqualTo(String.valueOf(gso));
    }

    @Test
    void withoutGsoEveryDatagramIsSentOnItsOwn() {
        Ran r = run("udp-throughput", "--port", udpPort(), "--conns", "2", "--size", "64", "--window", "8",
                "--timeout-ms", "1000", "--no-gso");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.result("gso")).isEqualTo("false");
        assertThat(r.number("msgs")).isPositive();
        assertThat(r.number("lost")).isZero();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void udpLatencyWithLargeDatagrams(String transport) {
        Ran r = run("udp-latency", "--port", udpPort(), "--transport", transport, "--size", "9000",
                "--timeout-ms", "1000");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.number("msgs")).isPositive();
    }

    @Test
    void withTheServersPidTheServersCpuShareOverTheWindowIsReported() {
        // The echo server runs in this JVM, so this JVM is the server process.
        Ran r = run("tcp-throughput", "--port", tcpPort(), "--conns", "2", "--size", "64", "--pipeline", "4",
                "--server-pid", String.valueOf(ProcessHandle.current().pid()));
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.number("server_pid")).isEqualTo(ProcessHandle.current().pid());
        assertThat(r.number("server_cpu")).isPositive();
        assertThat(r.out).contains("server CPU");
    }

    @Test
    void withoutTheServersPidNoServerCpuIsClaimed() {
        Ran r = run("tcp-latency", "--port", tcpPort());
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).doesNotContain("server_cpu", "server CPU");
    }

    @Test
    void theWarmUpLastsAtLeastItsSecondsAndAtMostTwiceAsLong() {
        Ran r = run("tcp-latency", "--port", tcpPort(), "--warmup", "0.3");
        assertThat(r.status).as(r.err).isZero();
        // at most 0.6 s while the JIT is busy, plus the scheduling slack of a busy machine
        assertThat(r.number("warmup_s")).isBetween(0.3, 1.5);
        assertThat(r.number("lg_jit_ms")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aServerPidWithNoProcessIsAUsageError() {
        Ran r = run("tcp-latency", "--port", tcpPort(), "--server-pid", "999999999");
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("--server-pid: no process 999999999");
    }

    @Test
    void idleConnectionsAreOpenedProbedAndMeasured() {
        Ran r = run("tcp-idle", "--port", tcpPort(), "--conns", "200", "--concurrency", "16",
                "--server-pid", String.valueOf(ProcessHandle.current().pid()));
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.number("idle_conns")).isEqualTo(200);
        assertThat(r.number("closed_by_server")).isZero();
        assertThat(r.number("rss_before_kib")).isPositive();
        assertThat(r.number("rss_after_kib")).isPositive();
        assertThat(r.result("rss_per_conn_kib")).isNotEqualTo("null");
        assertThat(r.number("msgs")).isPositive();
    }

    @Test
    void ipv6LoopbackWorks() {
        try (BareNettyEcho v6 = startOrNull()) {
            assumeTrue(v6 != null, "no IPv6 loopback on this machine");
            String port = String.valueOf(v6.localAddress().getPort());
            Ran r = run("tcp-throughput", "--host", "::1", "--port", port, "--conns", "2");
            assertThat(r.status).as(r.err).isZero();
            assertThat(r.out).contains("[::1]:");
            Ran connects = run("tcp-connect-rate", "--host", "::1", "--port", port, "--conns", "2");
            assertThat(connects.status).as(connects.err).isZero();
            assertThat(connects.number("msgs")).isPositive();
        }
    }

    @Test
    void aCorruptedTcpEchoIsAMismatchWithExitStatus3() throws InterruptedException {
        try (TestServers s = TestServers.tcp(() -> new CorruptingTcpEcho(1_000))) {
            Ran r = run("tcp-throughput", "--port", String.valueOf(s.port()), "--conns", "2");
            assertThat(r.status).isEqualTo(3);
            assertThat(r.err).contains("MISMATCH", "stream offset 1000");
            assertThat(r.result("outcome")).isEqualTo("\"mismatch\"");
            assertThat(r.number("mismatches")).isEqualTo(1);
        }
    }

    @Test
    void aServerClosingAConnectionIsAFailureWithExitStatus1() throws InterruptedException {
        try (TestServers s = TestServers.tcp(() -> new ClosingTcpEcho(640))) {
            Ran r = run("tcp-throughput", "--port", String.valueOf(s.port()), "--conns", "2");
            assertThat(r.status).isEqualTo(1);
            assertThat(r.err).contains("closed by the server");
            assertThat(r.result("outcome")).isEqualTo("\"server-failed\"");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aRefusedConnectionIsAFailureWithExitStatus1(String transport) throws InterruptedException {
        int port;
        try (TestServers s = TestServers.tcp(ClosingTcpEcho::new)) {
            port = s.port();
        }
        Ran r = run("tcp-connect-rate", "--port", String.valueOf(port), "--transport", transport);
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).contains("connect to 127.0.0.1:" + port);
    }

    @Test
    void aCorruptedDatagramIsAMismatch() throws InterruptedException {
        try (TestServers s = TestServers.udp(new UdpEcho(true, false))) {
            Ran r = run("udp-throughput", "--port", String.valueOf(s.port()), "--window", "2");
            assertThat(r.status).isEqualTo(3);
            assertThat(r.err).contains("MISMATCH", "matches no datagram it sent");
        }
    }

    @Test
    void duplicatedRepliesAreLateNotMismatches() throws InterruptedException {
        try (TestServers s = TestServers.udp(new UdpEcho(false, true))) {
            Ran r = run("udp-throughput", "--port", String.valueOf(s.port()), "--conns", "1", "--window", "1",
                    "--timeout-ms", "1000");
            assertThat(r.status).as(r.err).isZero();
            assertThat(r.number("late")).isPositive();
        }
    }

    @Test
    void aSilentUdpServerIsAFailureAfterTheStallTimeout() throws InterruptedException {
        try (TestServers s = TestServers.udp(new Silent())) {
            Ran r = run("udp-throughput", "--port", String.valueOf(s.port()), "--stall-timeout", "0.5",
                    "--seconds", "3");
            assertThat(r.status).isEqualTo(1);
            assertThat(r.err).contains("no echo for");
        }
    }

    @Test
    void aWrongOptionIsAUsageError() {
        Ran r = run("udp-throughput", "--port", udpPort(), "--size", "8");
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("--size must be 16 to 65507");
        assertThat(run("no-such-scenario", "--port", "1").status).isEqualTo(2);
    }

    private static BareNettyEcho startOrNull() {
        try {
            return BareNettyEcho.start("tcp", new InetSocketAddress("::1", 0), 1, "auto");
        } catch (Exception e) {
            return null; // no IPv6 loopback on this machine
        }
    }

    private static String tcpPort() {
        return String.valueOf(tcpEcho.localAddress().getPort());
    }

    private static String udpPort() {
        return String.valueOf(udpEcho.localAddress().getPort());
    }

    /** Runs the tool, with a short warm-up and measured time unless the arguments give them. */
    private static Ran run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!all.contains("--warmup")) {
            all.addAll(List.of("--warmup", "0.1"));
        }
        if (!all.contains("--seconds")) {
            all.addAll(List.of("--seconds", "0.4"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LoadGenerator.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a run printed and returned. */
    private static final class Ran {
        final int status;
        final String out;
        final String err;

        Ran(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }

        /** The raw JSON value of {@code key} in the one RESULT line. */
        String result(String key) {
            List<String> lines = out.lines().filter(l -> l.startsWith("RESULT {")).toList();
            assertThat(lines).as(out + err).hasSize(1);
            Matcher m = Pattern.compile("\"" + key + "\":(\"[^\"]*\"|[^,}]+)").matcher(lines.get(0));
            assertThat(m.find()).as("%s in %s", key, lines.get(0)).isTrue();
            return m.group(1);
        }

        double number(String key) {
            return Double.parseDouble(result(key));
        }
    }

    /** Echoes, but flips the byte at one stream offset of each connection. */
    private static final class CorruptingTcpEcho extends ChannelInboundHandlerAdapter {
        private final long offset;
        private long seen;

        CorruptingTcpEcho(long offset) {
            this.offset = offset;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            int n = in.readableBytes();
            if (seen <= offset && offset < seen + n) {
                int at = in.readerIndex() + (int) (offset - seen);
                in.setByte(at, in.getByte(at) ^ 0x5a);
            }
            seen += n;
            ctx.writeAndFlush(in);
        }
    }

    /** Echoes the first bytes of a connection, then closes it. */
    private static final class ClosingTcpEcho extends ChannelInboundHandlerAdapter {
        private final long limit;
        private long seen;

        ClosingTcpEcho() {
            this(0);
        }

        ClosingTcpEcho(long limit) {
            this.limit = limit;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (seen >= limit) {
                in.release();
                ctx.close();
                return;
            }
            int n = (int) Math.min(in.readableBytes(), limit - seen);
            seen += n;
            ctx.writeAndFlush(in.retainedSlice(in.readerIndex(), n));
            in.release();
        }
    }

    /** Echoes datagrams, optionally with the last byte of each flipped, or each twice. */
    @Sharable
    private static final class UdpEcho extends SimpleChannelInboundHandler<DatagramPacket> {
        private final boolean corrupt;
        private final boolean twice;

        UdpEcho(boolean corrupt, boolean twice) {
            this.corrupt = corrupt;
            this.twice = twice;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            ByteBuf c = p.content();
            if (corrupt) {
                int last = c.writerIndex() - 1;
                c.setByte(last, c.getByte(last) ^ 1);
            }
            if (twice) {
                ctx.write(new DatagramPacket(c.retainedDuplicate(), p.sender()));
            }
            ctx.writeAndFlush(new DatagramPacket(c.retain(), p.sender()));
        }
    }

    /** Reads and drops every datagram. */
    @Sharable
    private static final class Silent extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
