package io.netserve.bench;

import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An end-to-end load generator for echo servers: keeps a number of messages in flight on each
 * connection (TCP) or socket (UDP), checks every echoed byte, and prints one line of
 * {@code key=value} figures: messages per second, MiB per second, round-trip percentiles, lost
 * datagrams and mismatches. Exit status 3 on a mismatch, so a wrong echo is never a fast echo.
 *
 * <pre>
 * java -cp bench/target/netserve-bench.jar io.netserve.bench.LoadGenerator tcp --port 65432 --conns 16 --size 64 --in-flight 16
 * java -cp bench/target/netserve-bench.jar io.netserve.bench.LoadGenerator udp --port 65432 --conns 8 --size 64 --in-flight 16
 * </pre>
 *
 * Figures from one machine are only comparable within one run: measure a baseline server in the
 * same run and report ratios ({@code scripts/bench.sh} does).
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = "Drives an echo server and reports msgs/s, MiB/s and latency percentiles.")
public final class LoadGenerator implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "tcp|udp", description = "Protocol.")
    String proto;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (loopback).")
    String host;

    @Option(names = "--port", required = true, description = "Server port.")
    int port;

    @Option(names = "--conns", defaultValue = "1", description = "Connections (TCP) or sockets (UDP).")
    int conns;

    @Option(names = "--size", defaultValue = "64", description = "Message size in bytes (UDP: at least 16).")
    int size;

    @Option(names = "--in-flight", defaultValue = "1", description = "Messages in flight per connection; 1 is ping-pong.")
    int inFlight;

    @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds.")
    double seconds;

    @Option(names = "--warmup", defaultValue = "1", description = "Unmeasured seconds before.")
    double warmup;

    @Option(names = "--timeout-ms", defaultValue = "200", description = "UDP: a reply later than this is lost.")
    int timeoutMs;

    private final AtomicLong mismatches = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    /** Runs the command line; see the class comment. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!proto.equals("tcp") && !proto.equals("udp")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "protocol must be tcp or udp");
        }
        if (proto.equals("udp") && size < 16) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--size must be at least 16 for udp");
        }
        InetSocketAddress server = new InetSocketAddress(host, port);
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            Worker w = proto.equals("tcp") ? new TcpWorker(server, i, measureFrom, end) : new UdpWorker(server, i, measureFrom, end);
            workers.add(w);
            w.start();
        }
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long messages = 0;
        for (Worker w : workers) {
            w.join(TimeUnit.SECONDS.toMillis((long) (warmup + seconds)) + 30_000);
            all.add(w.histogram);
            messages += w.measured;
        }
        double perSecond = messages / seconds;
        System.out.println(String.format(Locale.ROOT,
                "mode=%s conns=%d size=%d in_flight=%d msgs_per_s=%.0f MiB_per_s=%.1f p50_us=%.1f p99_us=%.1f "
                        + "p999_us=%.1f max_us=%.1f lost=%d errors=%d mismatches=%d",
                proto, conns, size, inFlight, perSecond, perSecond * size / (1024.0 * 1024.0),
                us(all.getValueAtPercentile(50)), us(all.getValueAtPercentile(99)),
                us(all.getValueAtPercentile(99.9)), us(all.getMaxValue()), lost.get(), errors.get(), mismatches.get()));
        return mismatches.get() > 0 ? 3 : errors.get() > 0 ? 1 : 0;
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }

    /** Byte {@code i} of connection {@code conn}'s stream: a pattern that a shifted or mixed echo breaks. */
    private static byte pattern(int conn, long i) {
        return (byte) ((i * 31 + conn * 7 + (i >>> 8)) & 0xff);
    }

    private abstract class Worker extends Thread {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final InetSocketAddress server;
        final int id;
        final long measureFrom;
        final long end;
        long measured;

        Worker(InetSocketAddress server, int id, long measureFrom, long end) {
            super("loadgen-" + id);
            this.server = server;
            this.id = id;
            this.measureFrom = measureFrom;
            this.end = end;
            setDaemon(true);
        }

        void record(long sentAt, long now) {
            if (now >= measureFrom && now < end) {
                histogram.recordValue(Math.min(now - sentAt, histogram.getHighestTrackableValue()));
                measured++;
            }
        }

        @Override
        public void run() {
            try {
                drive();
            } catch (IOException e) {
                errors.incrementAndGet();
                System.err.println("loadgen: connection " + id + ": " + e.getMessage());
            }
        }

        abstract void drive() throws IOException;
    }

    private final class TcpWorker extends Worker {
        TcpWorker(InetSocketAddress server, int id, long measureFrom, long end) {
            super(server, id, measureFrom, end);
        }

        @Override
        void drive() throws IOException {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(server, 5000);
                s.setSoTimeout(5000);
                long[] sentAt = new long[inFlight];
                byte[] out = new byte[size * inFlight];
                byte[] in = new byte[Math.max(65536, size * inFlight)];
                long sentBytes = 0;
                long receivedBytes = 0;
                long sentMsgs = 0;
                long doneMsgs = 0;
                sentBytes = send(s, out, sentBytes, inFlight);
                for (int i = 0; i < inFlight; i++) {
                    sentAt[(int) (sentMsgs++ % inFlight)] = System.nanoTime();
                }
                while (true) {
                    int n = s.getInputStream().read(in);
                    if (n < 0) {
                        throw new IOException("server closed the connection");
                    }
                    long now = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        if (in[i] != pattern(id, receivedBytes + i)) {
                            mismatches.incrementAndGet();
                            System.err.println("loadgen: MISMATCH on connection " + id + " at byte " + (receivedBytes + i));
                            return;
                        }
                    }
                    receivedBytes += n;
                    int completed = (int) (receivedBytes / size - doneMsgs);
                    for (int i = 0; i < completed; i++) {
                        record(sentAt[(int) (doneMsgs++ % inFlight)], now);
                    }
                    if (now >= end) {
                        return;
                    }
                    if (completed > 0) {
                        sentBytes = send(s, out, sentBytes, completed);
                        long at = System.nanoTime();
                        for (int i = 0; i < completed; i++) {
                            sentAt[(int) (sentMsgs++ % inFlight)] = at;
                        }
                    }
                }
            }
        }

        private long send(Socket s, byte[] buf, long offset, int messages) throws IOException {
            int len = messages * size;
            for (int i = 0; i < len; i++) {
                buf[i] = pattern(id, offset + i);
            }
            s.getOutputStream().write(buf, 0, len);
            return offset + len;
        }
    }

    private final class UdpWorker extends Worker {
        UdpWorker(InetSocketAddress server, int id, long measureFrom, long end) {
            super(server, id, measureFrom, end);
        }

        @Override
        void drive() throws IOException {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(server.getAddress().isLoopbackAddress()
                    ? server.getAddress() : null, 0))) {
                s.connect(server);
                s.setSoTimeout(Math.max(1, timeoutMs / 4));
                long[] sentAt = new long[inFlight];
                long[] generation = new long[inFlight];
                byte[] buf = new byte[size];
                byte[] in = new byte[65536];
                DatagramPacket reply = new DatagramPacket(in, in.length);
                for (int slot = 0; slot < inFlight; slot++) {
                    sentAt[slot] = sendSlot(s, buf, slot, generation[slot]);
                }
                long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
                while (System.nanoTime() < end) {
                    try {
                        s.receive(reply);
                    } catch (SocketTimeoutException e) {
                        long now = System.nanoTime();
                        for (int slot = 0; slot < inFlight; slot++) {
                            if (now - sentAt[slot] > timeoutNanos) {
                                if (now >= measureFrom) {
                                    lost.incrementAndGet();
                                }
                                sentAt[slot] = sendSlot(s, buf, slot, ++generation[slot]);
                            }
                        }
                        continue;
                    }
                    long now = System.nanoTime();
                    ByteBuffer r = ByteBuffer.wrap(in, 0, reply.getLength());
                    int slot = r.getInt();
                    long gen = r.getLong();
                    if (reply.getLength() != size || slot < 0 || slot >= inFlight || !verify(in, size, slot, gen)) {
                        mismatches.incrementAndGet();
                        System.err.println("loadgen: MISMATCH on socket " + id);
                        return;
                    }
                    if (gen != generation[slot]) {
                        continue; // a late reply to a datagram already counted lost
                    }
                    record(sentAt[slot], now);
                    sentAt[slot] = sendSlot(s, buf, slot, ++generation[slot]);
                }
            }
        }

        private long sendSlot(DatagramSocket s, byte[] buf, int slot, long gen) throws IOException {
            ByteBuffer.wrap(buf).putInt(slot).putLong(gen).putInt(id);
            for (int i = 16; i < size; i++) {
                buf[i] = pattern(slot, gen + i);
            }
            s.send(new DatagramPacket(buf, size));
            return System.nanoTime();
        }

        private boolean verify(byte[] in, int len, int slot, long gen) {
            if (ByteBuffer.wrap(in, 12, 4).getInt() != id) {
                return false;
            }
            for (int i = 16; i < len; i++) {
                if (in[i] != pattern(slot, gen + i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
