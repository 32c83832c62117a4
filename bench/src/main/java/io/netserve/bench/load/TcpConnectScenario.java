package io.netserve.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * TCP connection rate: {@code conns} loops, each over and over connecting, sending one small
 * message, reading its echo (checked) and closing; the figure is completed connections per second,
 * and the round trip is from the start of the connect to the checked echo. On epoll the loops
 * drive native sockets without a channel ({@link EpollConnectLoop}), so that the client's cost per
 * connection stays below the server's; on the other transports each connection is a Netty channel.
 *
 * <p>The client closes first, so each connection leaves its port in TIME_WAIT for a minute. On
 * loopback Linux reuses such ports for new connections ({@code net.ipv4.tcp_tw_reuse}, 2 by
 * default); where it does not, or when the ports run out anyway, a connect fails with "cannot
 * assign requested address": that loop then waits {@value #PORT_WAIT_MILLIS} ms and tries again,
 * and the waits are counted ({@code port_waits}), not taken for a server failure. At the end the
 * loops stop starting connections and the ones under way are closed before the tool exits.
 */
final class TcpConnectScenario implements Scenario {

    /** The pause of a loop after the client ran out of local ports. */
    static final long PORT_WAIT_MILLIS = 1;

    private final int conns;
    private final int size;
    private final List<ConnectLoop> loops = new ArrayList<>();

    TcpConnectScenario(int conns, int size) {
        this.conns = conns;
        this.size = size;
    }

    @Override
    public String name() {
        return "tcp-connect-rate";
    }

    @Override
    public void describe(Map<String, Object> options) {
        options.put("conns", conns);
        options.put("size", size);
    }

    @Override
    public String unit() {
        return "conns";
    }

    @Override
    public void execute(Run run) throws InterruptedException {
        for (int i = 0; i < conns; i++) {
            Recorder recorder = run.recorder(i);
            ConnectLoop loop = run.transport() == ClientTransport.EPOLL
                    ? new EpollConnectLoop(i, conns, size, recorder, run)
                    : new ChannelConnectLoop(i, conns, size, recorder, run);
            loops.add(loop);
            recorder.loop().execute(loop::start);
        }
        try {
            run.measure();
        } finally {
            run.stopRecording();
            List<Future<Void>> idle = new ArrayList<>();
            for (ConnectLoop loop : loops) {
                loop.recorder.loop().execute(loop::stop);
                idle.add(loop.idle);
            }
            for (Future<Void> f : idle) {
                f.await(Run.PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void report(Map<String, Object> results) {
        long waits = 0;
        for (ConnectLoop loop : loops) {
            waits += loop.portWaits;
        }
        results.put("port_waits", waits);
    }

    /**
     * One connect loop, confined to its event loop: what every way of connecting shares, that is
     * the next connection's start, the port waits, the figures and the failures.
     */
    abstract static class ConnectLoop {
        final int index;
        final int conns;
        final int size;
        final Recorder recorder;
        final Run run;
        final Promise<Void> idle;
        private long started;
        private long attempt;
        private long portWaits;

        ConnectLoop(int index, int conns, int size, Recorder recorder, Run run) {
            this.index = index;
            this.conns = conns;
            this.size = size;
            this.recorder = recorder;
            this.run = run;
            this.idle = recorder.loop().newPromise();
        }

        final void start() {
            recorder.expectEchoes();
            next();
        }

        /** Starts the next connection, or ends the loop once the window is over. */
        final void next() {
            if (recorder.stopped()) {
                idle.trySuccess(null);
                return;
            }
            started = System.nanoTime();
            connect(attempt++ * conns + index);
        }

        /** Starts connection {@code id}; one that cannot connect ends in {@link #connectFailed}. */
        abstract void connect(long id);

        /** Closes the connection under way, if any; the loop then ends ({@link #idle}). */
        abstract void stop();

        final void connectFailed(Throwable cause) {
            if (isPortExhaustion(cause) && !recorder.stopped()) {
                portWaits++;
                recorder.loop().schedule(this::next, PORT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            if (!recorder.stopped()) {
                run.fail(Outcome.SERVER_FAILED, "connect to " + LoadGenerator.format(run.server()) + ": "
                        + Run.describe(cause));
            }
            idle.trySuccess(null);
        }

        final void echoed(long now) {
            recorder.completed(now, started);
            recorder.echoed(now, size);
        }

        final void mismatch(long id) {
            run.fail(Outcome.MISMATCH, String.format(Locale.ROOT,
                    "tcp connection %d (connect-rate): the echo of its %d-byte message does not match", id, size));
        }

        /** Connection {@code id} ended before its echo was whole: a failure unless the run is over. */
        final void endedEarly(long id, int received) {
            if (!recorder.stopped()) {
                run.fail(Outcome.SERVER_FAILED, String.format(Locale.ROOT,
                        "tcp connection %d (connect-rate) was closed by the server before its echo (%d of %d bytes)",
                        id, received, size));
            }
        }

        final void failed(long id, Throwable cause) {
            if (!recorder.stopped()) {
                run.fail(Outcome.SERVER_FAILED, "tcp connection " + id + " (connect-rate): " + Run.describe(cause));
            }
        }
    }

    /** A connect loop on Netty channels, for the transports without {@link EpollConnectLoop}. */
    private static final class ChannelConnectLoop extends ConnectLoop {
        private final Bootstrap bootstrap;
        private Channel current;

        ChannelConnectLoop(int index, int conns, int size, Recorder recorder, Run run) {
            super(index, conns, size, recorder, run);
            this.bootstrap = Channels.tcp(run, recorder, size);
        }

        @Override
        void connect(long id) {
            ChannelFuture f = bootstrap.handler(new Attempt(this, id)).connect(run.server());
            current = f.channel();
            f.addListener((ChannelFuture done) -> {
                if (!done.isSuccess()) {
                    current = null;
                    connectFailed(done.cause());
                }
            });
        }

        @Override
        void stop() {
            if (current != null) {
                current.close();
            } else {
                idle.trySuccess(null);
            }
        }

        void closed() {
            current = null;
            next();
        }
    }

    private static boolean isPortExhaustion(Throwable cause) {
        String message = cause.getMessage();
        return cause instanceof BindException
                || (message != null && message.toLowerCase(Locale.ROOT).contains("cannot assign requested address"));
    }

    /** One connection of a loop: sends its message when connected, checks the echo, closes. */
    private static final class Attempt extends ChannelInboundHandlerAdapter {
        private final ChannelConnectLoop loop;
        private final long id;
        private final int offset;
        private int received;
        private boolean done;

        Attempt(ChannelConnectLoop loop, long id) {
            this.loop = loop;
            this.id = id;
            this.offset = Payloads.datagramOffset(0, id);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.channel().closeFuture().addListener(f -> loop.closed());
            if (loop.recorder.stopped()) {
                ctx.close();
                return;
            }
            ctx.writeAndFlush(loop.run.payloads().slice(offset, loop.size), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int n = in.readableBytes();
                if (done || received + n > loop.size
                        || !loop.recorder.checker().matches(in, in.readerIndex(), offset + received, n)) {
                    done = true;
                    loop.mismatch(id);
                    ctx.close();
                    return;
                }
                received += n;
                if (received == loop.size) {
                    done = true;
                    loop.echoed(System.nanoTime());
                    ctx.close();
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done) {
                loop.endedEarly(id, received);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!done) {
                loop.failed(id, cause);
            }
            ctx.close();
        }
    }
}
