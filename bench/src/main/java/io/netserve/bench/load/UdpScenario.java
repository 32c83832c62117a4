package io.netserve.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.PortUnreachableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * UDP throughput and latency: {@code conns} connected sockets, each keeping {@code window}
 * datagrams of {@code size} bytes in flight, one per slot. A reply frees its slot, which sends the
 * next datagram at once; a slot whose reply has not come within {@code timeoutMs} counts one lost
 * datagram and sends a new one. With a window of one it is a ping-pong and the round trip is the
 * figure.
 *
 * <p>Each datagram carries a 16-byte header (socket, slot, sequence number) and then the payload
 * window of that socket and sequence number ({@link Payloads}); a reply is checked whole, so a
 * reply that is cut, longer, corrupted or meant for another socket is a mismatch. A correct reply
 * to a datagram already counted lost is counted late.
 *
 * <p>With {@code gso} (epoll, where the kernel has {@code UDP_SEGMENT}), the datagrams a socket
 * sends in one batch go to the kernel as one buffer that it cuts into datagrams of {@code size}
 * bytes: the client's stack then carries one packet where it would carry one per datagram, while
 * the server's socket still receives each datagram on its own (the kernel cuts the packet before
 * queueing it to a socket that did not ask for {@code UDP_GRO}).
 */
final class UdpScenario implements Scenario {

    /** Bytes of the header in front of each datagram's payload. */
    static final int HEADER = 16;

    /** Most datagrams one {@code UDP_SEGMENT} send may carry (the kernel's {@code UDP_MAX_SEGMENTS}). */
    static final int MAX_SEGMENTS = 64;

    /** Most bytes one {@code UDP_SEGMENT} send may carry: one UDP datagram's largest payload over IPv4. */
    static final int MAX_SEGMENTED_BYTES = 65_507;

    private final String name;
    private final int conns;
    private final int size;
    private final int window;
    private final int timeoutMs;
    private final boolean gsoWanted;
    private boolean gso;

    UdpScenario(String name, int conns, int size, int window, int timeoutMs, boolean gso) {
        this.name = name;
        this.conns = conns;
        this.size = size;
        this.window = window;
        this.timeoutMs = timeoutMs;
        this.gsoWanted = gso;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void describe(Map<String, Object> options) {
        options.put("conns", conns);
        options.put("size", size);
        options.put("window", window);
        options.put("timeout_ms", timeoutMs);
        options.put("gso", gso);
    }

    @Override
    public void execute(Run run) throws InterruptedException {
        gso = gsoWanted && Channels.segmentsDatagrams(run.transport());
        List<Socket> sockets = new ArrayList<>();
        List<ChannelFuture> connects = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            Recorder recorder = run.recorder(i);
            Socket s = new Socket(i, recorder, run);
            ChannelFuture f = Channels.udp(run, recorder, size, (long) size * window).handler(s).connect(run.server());
            sockets.add(s);
            connects.add(f);
            channels.add(f.channel());
        }
        List<ScheduledFuture<?>> scans = new ArrayList<>();
        try {
            if (run.awaitAll(connects, "udp socket for " + LoadGenerator.format(run.server()))) {
                long period = Math.max(1, TimeUnit.MILLISECONDS.toNanos(timeoutMs) / 4);
                for (Recorder recorder : run.recorders()) {
                    List<Socket> mine = new ArrayList<>();
                    for (Socket s : sockets) {
                        if (s.recorder == recorder) {
                            mine.add(s);
                        }
                    }
                    if (mine.isEmpty()) {
                        continue;
                    }
                    recorder.loop().execute(() -> mine.forEach(Socket::start));
                    scans.add(recorder.loop().scheduleAtFixedRate(
                            () -> mine.forEach(Socket::scan), period, period, TimeUnit.NANOSECONDS));
                }
                run.measure();
            }
        } finally {
            run.stopRecording();
            scans.forEach(f -> f.cancel(false));
            Channels.closeAll(run, channels);
        }
    }

    /** One connected socket and its window of slots; confined to its event loop. */
    private final class Socket extends ChannelInboundHandlerAdapter {
        private final int id;
        private final Recorder recorder;
        private final Run run;
        private final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        private final long[] slotSeq = new long[window];
        private final long[] sentAt = new long[window];
        private final int perSegmentedSend = Math.min(MAX_SEGMENTS, MAX_SEGMENTED_BYTES / size);
        private Channel channel;
        private long nextSeq;
        private long readAt;
        private boolean unflushed;
        private boolean broken;
        private ByteBuf batch;
        private int batched;

        Socket(int id, Recorder recorder, Run run) {
            this.id = id;
            this.recorder = recorder;
            this.run = run;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.fireChannelActive();
        }

        void start() {
            recorder.expectEchoes();
            long now = System.nanoTime();
            for (int slot = 0; slot < window; slot++) {
                send(slot, now);
            }
            flush();
        }

        /** Sends the next datagram from {@code slot}: a new sequence number, so a late reply is told apart. */
        private void send(int slot, long now) {
            long seq = nextSeq++;
            slotSeq[slot] = seq;
            sentAt[slot] = now;
            if (gso && batch == null) {
                batch = run.allocator().directBuffer(perSegmentedSend * size);
            }
            ByteBuf out = gso ? batch : run.allocator().directBuffer(size, size);
            out.writeInt(id).writeInt(slot).writeLong(seq);
            run.payloads().copy(Payloads.datagramOffset(id, seq), size - HEADER, out);
            if (!gso) {
                channel.write(out, channel.voidPromise());
                unflushed = true;
            } else if (++batched == perSegmentedSend) {
                writeBatch();
            }
        }

        /** Writes the datagrams gathered for one {@code UDP_SEGMENT} send; one alone goes as itself. */
        private void writeBatch() {
            if (batched == 0) {
                return;
            }
            Object msg = batched == 1 ? batch : new SegmentedDatagramPacket(batch, size, run.server());
            batch = null;
            batched = 0;
            channel.write(msg, channel.voidPromise());
            unflushed = true;
        }

        private void flush() {
            writeBatch();
            if (unflushed) {
                unflushed = false;
                channel.flush();
            }
        }

        /** Gives up on every slot waiting longer than the time-out, and sends anew from it. */
        void scan() {
            if (recorder.stopped() || broken) {
                return;
            }
            long now = System.nanoTime();
            for (int slot = 0; slot < window; slot++) {
                if (now - sentAt[slot] > timeoutNanos) {
                    recorder.lost();
                    send(slot, now);
                }
            }
            flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = msg instanceof DatagramPacket ? ((DatagramPacket) msg).content() : (ByteBuf) msg;
            try {
                if (!broken) {
                    reply(in);
                }
            } finally {
                in.release();
            }
        }

        private void reply(ByteBuf in) {
            int at = in.readerIndex();
            int length = in.readableBytes();
            if (length != size) {
                mismatch(String.format(Locale.ROOT, "udp socket %d: a reply of %s bytes, every datagram sent has %d",
                        id, length > size ? "more than " + size : String.valueOf(length), size));
                return;
            }
            int conn = in.getInt(at);
            int slot = in.getInt(at + 4);
            long seq = in.getLong(at + 8);
            if (conn != id || slot < 0 || slot >= window || seq < 0 || seq >= nextSeq
                    || !recorder.checker().matches(in, at + HEADER, Payloads.datagramOffset(id, seq), size - HEADER)) {
                mismatch(String.format(Locale.ROOT,
                        "udp socket %d: a reply of %d bytes (header: socket %d, slot %d, seq %d) matches no datagram it sent",
                        id, length, conn, slot, seq));
                return;
            }
            if (seq != slotSeq[slot]) {
                recorder.late();
                return;
            }
            // one clock reading per read batch, as the datagrams of one recvmmsg arrived together
            if (readAt == 0) {
                readAt = System.nanoTime();
            }
            long now = readAt;
            recorder.completed(now, sentAt[slot]);
            recorder.echoed(now, size);
            if (!recorder.stopped()) {
                send(slot, now);
            }
        }

        private void mismatch(String message) {
            broken = true;
            run.fail(Outcome.MISMATCH, message);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readAt = 0;
            flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (batch != null) {
                batch.release();
                batch = null;
                batched = 0;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (recorder.stopped() || broken) {
                return;
            }
            if (cause instanceof PortUnreachableException) {
                run.fail(Outcome.SERVER_FAILED, "udp socket " + id + ": nothing listens on "
                        + LoadGenerator.format(run.server()) + " (ICMP port unreachable)");
            } else {
                run.fail(Outcome.SERVER_FAILED, "udp socket " + id + ": " + Run.describe(cause));
            }
        }
    }
}
