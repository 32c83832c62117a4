package io.netserve.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TCP throughput and latency: {@code conns} connections, each keeping {@code pipeline} messages of
 * {@code size} bytes in flight; with one message in flight it is a ping-pong and the round trip is
 * the figure. Each connection's stream is its own pattern ({@link Payloads}), checked byte for byte.
 * A message's round trip runs from the return of the send that took its first byte to the read
 * that brought its last.
 */
final class TcpStreamScenario implements Scenario {

    private final String name;
    private final int conns;
    private final int size;
    private final int pipeline;
    private final List<StreamConnection> connections = new ArrayList<>();

    TcpStreamScenario(String name, int conns, int size, int pipeline) {
        this.name = name;
        this.conns = conns;
        this.size = size;
        this.pipeline = pipeline;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void describe(Map<String, Object> options) {
        options.put("conns", conns);
        options.put("size", size);
        options.put("pipeline", pipeline);
    }

    @Override
    public void execute(Run run) throws InterruptedException {
        List<ChannelFuture> connects = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            Recorder recorder = run.recorder(i);
            StreamConnection c = new StreamConnection(i, recorder, run.payloads(), size, pipeline);
            Bootstrap b = Channels.tcp(run, recorder, (long) size * pipeline).handler(c);
            ChannelFuture f = b.connect(run.server());
            connections.add(c);
            connects.add(f);
            channels.add(f.channel());
        }
        try {
            if (run.awaitAll(connects, "connect to " + LoadGenerator.format(run.server()))) {
                for (StreamConnection c : connections) {
                    c.recorder.loop().execute(c::start);
                }
                run.measure();
            }
        } finally {
            run.stopRecording();
            Channels.closeAll(run, channels);
        }
    }

    /** One connection: sends up to its window, checks and times what comes back. */
    static final class StreamConnection extends ChannelInboundHandlerAdapter {
        private final int id;
        private final Recorder recorder;
        private final Payloads payloads;
        private final int size;
        private final int pipeline;
        private final long[] sentAt;
        private Channel channel;
        private long sent;
        private long received;
        private boolean broken;

        StreamConnection(int id, Recorder recorder, Payloads payloads, int size, int pipeline) {
            this.id = id;
            this.recorder = recorder;
            this.payloads = payloads;
            this.size = size;
            this.pipeline = pipeline;
            this.sentAt = new long[pipeline];
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.fireChannelActive();
        }

        /** Starts sending; on the loop, once every connection is up. */
        void start() {
            recorder.expectEchoes();
            send();
        }

        /** Fills the window: the next messages up to {@code pipeline} outstanding, in one flush. */
        private void send() {
            if (recorder.stopped() || broken || channel == null) {
                return;
            }
            long target = (received / size + pipeline) * size;
            if (sent >= target) {
                return;
            }
            long from = sent;
            while (sent < target && channel.isWritable()) {
                int length = (int) Math.min(target - sent, Payloads.MAX_CHUNK);
                channel.write(payloads.slice(Payloads.streamOffset(id, sent), length), channel.voidPromise());
                sent += length;
            }
            if (sent > from) {
                channel.flush();
                // A message is sent when the send that took its first byte has returned, as
                // ../shared/bench's loadgen times it, so that the two tools' round trips compare.
                long now = System.nanoTime();
                for (long m = (from + size - 1) / size; m * size < sent; m++) {
                    sentAt[(int) (m % pipeline)] = now;
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (!broken) {
                    check(in);
                }
            } finally {
                in.release();
            }
        }

        private void check(ByteBuf in) {
            int n = in.readableBytes();
            if (received + n > sent) {
                mismatch(String.format(Locale.ROOT, "tcp connection %d: %d bytes echoed, only %d sent",
                        id, received + n, sent));
                return;
            }
            long bad = recorder.checker().checkStream(in, in.readerIndex(), n, id, received);
            if (bad >= 0) {
                int at = (int) (bad - received);
                mismatch(String.format(Locale.ROOT,
                        "tcp connection %d: echoed byte at stream offset %d is 0x%02x, sent 0x%02x",
                        id, bad, in.getByte(in.readerIndex() + at) & 0xff,
                        payloads.at(Payloads.streamOffset(id, bad)) & 0xff));
                return;
            }
            long now = System.nanoTime();
            long first = received / size;
            received += n;
            for (long m = first, last = received / size; m < last; m++) {
                recorder.completed(now, sentAt[(int) (m % pipeline)]);
            }
            recorder.echoed(now, n);
        }

        private void mismatch(String message) {
            broken = true;
            recorder.run().fail(Outcome.MISMATCH, message);
            channel.close();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            send();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                send();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!recorder.stopped() && !broken) {
                recorder.run().fail(Outcome.SERVER_FAILED, String.format(Locale.ROOT,
                        "tcp connection %d was closed by the server after %d echoed bytes", id, received));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!recorder.stopped() && !broken) {
                recorder.run().fail(Outcome.SERVER_FAILED, "tcp connection " + id + ": " + Run.describe(cause));
            }
            ctx.close();
        }
    }
}
