package io.netserve.bench.baseline;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The bare Netty echo: it echoes on every transport, binds one UDP socket per loop, and stops with status 0. */
class BareNettyEchoTest {

    static Stream<String> transports() {
        return Epoll.isAvailable() ? Stream.of("nio", "epoll") : Stream.of("nio");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void tcpEchoesWhatItReads(String transport) throws Exception {
        try (BareNettyEcho server = BareNettyEcho.start("tcp", new InetSocketAddress("127.0.0.1", 0), 2, transport);
             Socket s = new Socket()) {
            assertThat(server.transport()).isEqualTo(transport);
            s.connect(server.localAddress(), 10_000);
            s.setSoTimeout(10_000);
            byte[] sent = new byte[100_000];
            Arrays.fill(sent, (byte) 7);
            sent[99_999] = 9;
            OutputStream out = s.getOutputStream();
            out.write(sent);
            out.flush();
            assertThat(readFully(s.getInputStream(), sent.length)).isEqualTo(sent);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void udpEchoesEachDatagramWhole(String transport) throws Exception {
        try (BareNettyEcho server = BareNettyEcho.start("udp", new InetSocketAddress("127.0.0.1", 0), 2, transport);
             DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(10_000);
            for (int size : new int[] {1, 1_400, 65_507}) {
                byte[] sent = new byte[size];
                Arrays.fill(sent, (byte) size);
                s.send(new DatagramPacket(sent, size, server.localAddress()));
                DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
                s.receive(reply);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(sent);
            }
        }
    }

    @Test
    void mainPrintsTheListeningLineAndExitsWithZeroOnSigterm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                BareNettyEcho.class.getName(), "tcp", "--host", "127.0.0.1", "--port", "0")
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) \\(transport=(epoll|nio)\\)").matcher(String.valueOf(line));
            assertThat(m.matches()).as(line).isTrue();
            try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(42);
                assertThat(s.getInputStream().read()).isEqualTo(42);
            }
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aWrongArgumentIsAUsageError() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                BareNettyEcho.class.getName(), "sctp").redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(output).contains("unknown argument 'sctp'");
        } finally {
            p.destroyForcibly();
        }
    }

    private static byte[] readFully(InputStream in, int n) throws Exception {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            assertThat(r).as("end of stream after %d bytes", got).isPositive();
            got += r;
        }
        return b;
    }
}
