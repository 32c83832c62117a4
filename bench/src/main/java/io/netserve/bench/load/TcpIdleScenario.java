package io.netserve.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many idle TCP connections: opens {@code conns} connections (at most {@code concurrency} being
 * set up at a time), each proven set up by one checked one-byte echo, and reports how long that
 * took; then, while they stay open, measures a fresh connection's ping-pong round trip, and holds
 * them until {@code hold} seconds after they were all open. With the server's process id it reads
 * the server's resident memory ({@code VmRSS} of {@code /proc/PID/status}) before opening and at
 * the end of the hold, so memory per idle connection is one command. An idle connection the server
 * closes is a server failure.
 */
final class TcpIdleScenario implements Scenario {

    /** Connection ids of the idle connections start here; the probe connection is 0. */
    private static final int FIRST_IDLE_ID = 1_000_000;

    private final int conns;
    private final int size;
    private final double hold;
    private ServerProcess serverProcess;
    private final int concurrency;
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final TcpStreamScenario probe;
    private double openSeconds;
    private long rssBefore = -1;
    private long rssAfter = -1;

    TcpIdleScenario(int conns, int size, double hold, int concurrency) {
        this.conns = conns;
        this.size = size;
        this.hold = hold;
        this.concurrency = concurrency;
        this.probe = new TcpStreamScenario("tcp-idle", 1, size, 1);
    }

    @Override
    public String name() {
        return "tcp-idle";
    }

    @Override
    public void describe(Map<String, Object> options) {
        options.put("conns", conns);
        options.put("size", size);
        options.put("hold_s", hold);
        options.put("concurrency", concurrency);
    }

    @Override
    public void execute(Run run) throws InterruptedException {
        serverProcess = run.serverProcess();
        rssBefore = rss(run);
        List<Opener> openers = new ArrayList<>();
        int loops = run.recorders().size();
        for (int l = 0; l < loops; l++) {
            int share = conns / loops + (l < conns % loops ? 1 : 0);
            int parallel = Math.max(1, concurrency / loops);
            if (share > 0) {
                openers.add(new Opener(run, run.recorders().get(l), l, loops, share, parallel));
            }
        }
        long t0 = System.nanoTime();
        List<Future<Void>> opened = new ArrayList<>();
        for (Opener o : openers) {
            o.recorder.loop().execute(o::start);
            opened.add(o.done);
        }
        try {
            if (!run.awaitAll(opened, "opening " + conns + " idle connections to " + LoadGenerator.format(run.server()))) {
                return;
            }
            long openedAt = System.nanoTime();
            openSeconds = (openedAt - t0) / 1e9;
            probe.execute(run);
            long left = openedAt + Run.secondsToNanos(hold) - System.nanoTime();
            if (left > 0 && !run.hasFailed()) {
                run.sleepUnlessFailed(left);
            }
            rssAfter = rss(run);
            if (closedByServer.get() > 0) {
                run.fail(Outcome.SERVER_FAILED, closedByServer.get() + " of " + conns
                        + " idle connections were closed by the server");
            }
        } finally {
            for (Opener o : openers) {
                o.closing = true;
            }
            List<Channel> all = new ArrayList<>();
            for (Opener o : openers) {
                all.addAll(o.channels);
            }
            Channels.closeAll(run, all);
        }
    }

    @Override
    public void report(Map<String, Object> results) {
        results.put("idle_conns", conns);
        results.put("open_s", openSeconds);
        results.put("open_per_s", openSeconds > 0 ? conns / openSeconds : 0.0);
        results.put("closed_by_server", closedByServer.get());
        if (serverProcess != null) {
            results.put("rss_before_kib", rssBefore);
            results.put("rss_after_kib", rssAfter);
            results.put("rss_per_conn_kib", rssBefore >= 0 && rssAfter >= 0 ? (rssAfter - rssBefore) / (double) conns : null);
        }
    }

    /** The server's VmRSS in KiB, -1 without a process id; an unreadable one fails the run. */
    private long rss(Run run) {
        if (serverProcess == null) {
            return -1;
        }
        try {
            return serverProcess.rssKib();
        } catch (IOException | RuntimeException e) {
            run.fail(Outcome.SERVER_FAILED, "cannot read the memory of server process " + serverProcess.pid() + ": "
                    + Run.describe(e));
        }
        return -1;
    }

    /** Opens one loop's share of the idle connections, a bounded number at a time; confined to its loop. */
    private final class Opener {
        private final Run run;
        private final Recorder recorder;
        private final Bootstrap bootstrap;
        private final int loopIndex;
        private final int loops;
        private final int share;
        private final int parallel;
        private final Promise<Void> done;
        private final List<Channel> channels;
        private int launched;
        private int established;
        private volatile boolean closing;

        Opener(Run run, Recorder recorder, int loopIndex, int loops, int share, int parallel) {
            this.run = run;
            this.recorder = recorder;
            this.bootstrap = Channels.tcp(run, recorder, 1);
            this.loopIndex = loopIndex;
            this.loops = loops;
            this.share = share;
            this.parallel = parallel;
            this.done = recorder.loop().newPromise();
            this.channels = new ArrayList<>(share);
        }

        void start() {
            for (int i = 0; i < parallel && launched < share; i++) {
                launch();
            }
        }

        private void launch() {
            int id = FIRST_IDLE_ID + launched++ * loops + loopIndex;
            ChannelFuture f = bootstrap.handler(new IdleConnection(this, id)).connect(run.server());
            channels.add(f.channel());
            f.addListener((ChannelFuture c) -> {
                if (!c.isSuccess()) {
                    done.tryFailure(c.cause());
                }
            });
        }

        void established() {
            established++;
            if (established == share) {
                done.trySuccess(null);
            } else if (launched < share && !done.isDone()) {
                launch();
            }
        }
    }

    /** One idle connection: one checked byte to prove it is set up, then nothing. */
    private final class IdleConnection extends ChannelInboundHandlerAdapter {
        private final Opener opener;
        private final int id;
        private boolean echoed;

        IdleConnection(Opener opener, int id) {
            this.opener = opener;
            this.id = id;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(opener.run.payloads().slice(Payloads.streamOffset(id, 0), 1), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (echoed || in.readableBytes() != 1 || opener.recorder.checker().checkStream(in, in.readerIndex(), 1, id, 0) >= 0) {
                    opener.run.fail(Outcome.MISMATCH, String.format(Locale.ROOT,
                            "idle tcp connection %d: the echo of its one byte does not match (%d bytes came back)",
                            id, in.readableBytes()));
                    ctx.close();
                    return;
                }
                echoed = true;
                opener.established();
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!opener.closing) {
                closedByServer.incrementAndGet();
                if (!echoed) {
                    opener.done.tryFailure(new IOException("idle connection " + id + " was closed by the server before its echo"));
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!opener.closing) {
                opener.done.tryFailure(cause);
            }
            ctx.close();
        }
    }
}
