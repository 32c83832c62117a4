package io.netserve.core.internal;

import io.netserve.test.LogCapture;
import ch.qos.logback.classic.Level;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ExceptionTailHandlerTest {

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);
    private final ExceptionTailHandler tail = ExceptionTailHandler.forConnections(context);
    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).handlers(tail).build();
    private final EmbeddedChannel other = EmbeddedChannel.builder().ticker(ticker).handlers(tail).build();
    private final LogCapture peerLogs = LogCapture.of("io.netserve.core.peer");
    private final LogCapture inputLogs = LogCapture.of("io.netserve.core.input");

    @AfterEach
    void tearDown() {
        peerLogs.close();
        inputLogs.close();
        channel.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }

    @Test
    void ioErrorIsOneInfoLineWithoutStackTraceAndClosesOnlyThatChannel() {
        channel.pipeline().fireExceptionCaught(new SocketException("Connection reset"));

        assertThat(channel.isOpen()).isFalse();
        assertThat(other.isOpen()).isTrue();
        assertThat(peerLogs.events()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).startsWith("closing connection ")
                    .endsWith(" after an I/O error: Connection reset").doesNotContain("\n");
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void codecErrorIsOneWarnLineWithoutStackTraceCountedAsMalformedInput() {
        channel.pipeline().fireExceptionCaught(new TooLongFrameException("frame of 70000 bytes exceeds 65536"));

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.malformedInput()).isEqualTo(1);
        assertThat(inputLogs.events()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).startsWith("closing connection ")
                    .endsWith(" after malformed input: frame of 70000 bytes exceeds 65536");
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void messageComesFromTheCauseWhenTheWrapperHasNone() {
        channel.pipeline().fireExceptionCaught(new DecoderException(new IllegalStateException("bad length")));
        other.pipeline().fireExceptionCaught(new IOException((String) null));

        // DecoderException(Throwable) takes its message from the cause's toString().
        assertThat(inputLogs.messages()).singleElement().asString().endsWith("bad length");
        assertThat(peerLogs.messages()).singleElement().asString().endsWith(": IOException");
    }

    @Test
    void anythingElseIsAWarnWithItsStackTrace() {
        channel.pipeline().fireExceptionCaught(new IllegalStateException("handler bug"));

        assertThat(channel.isOpen()).isFalse();
        assertThat(inputLogs.events()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).startsWith("closing connection ")
                    .endsWith(" after an unhandled exception: java.lang.IllegalStateException");
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.getThrowableProxy().getMessage()).isEqualTo("handler bug");
        });
        assertThat(metrics.malformedInput()).isZero();
    }

    @Test
    void logsOncePerChannelEvenForTwoExceptions() {
        // On a real channel the close lands a moment later, so more exceptions can reach the tail first.
        CloseHolder closes = new CloseHolder();
        EmbeddedChannel slowToClose = EmbeddedChannel.builder().ticker(ticker).handlers(closes, tail).build();
        try {
            slowToClose.pipeline().fireExceptionCaught(new IOException("first"));
            slowToClose.pipeline().fireExceptionCaught(new IllegalStateException("second"));

            assertThat(closes.requested).as("each exception asks to close").isEqualTo(2);
            assertThat(peerLogs.messages()).singleElement().asString().endsWith(": first");
            assertThat(inputLogs.messages()).isEmpty();
        } finally {
            closes.release = true;
            slowToClose.finishAndReleaseAll();
        }
    }

    @Test
    void aFloodOfBadConnectionsGivesOneLineAndASummaryASecond() {
        List<EmbeddedChannel> bad = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).handlers(tail).build();
            bad.add(ch);
            ch.pipeline().fireExceptionCaught(new DecoderException("bad frame " + i));
            assertThat(ch.isOpen()).isFalse();
        }
        ticker.advance(1, TimeUnit.SECONDS);
        bad.forEach(EmbeddedChannel::runScheduledPendingTasks);

        assertThat(metrics.malformedInput()).isEqualTo(50);
        assertThat(inputLogs.messages()).hasSize(2);
        assertThat(inputLogs.messages().get(0)).endsWith("after malformed input: bad frame 0");
        assertThat(inputLogs.messages().get(1)).isEqualTo("49 more malformed inputs in the last second");
    }

    @Test
    void consumesTheException() {
        channel.pipeline().fireExceptionCaught(new IOException("gone"));

        channel.checkException();
        assertThat(tail.isSharable()).isTrue();
    }

    @Test
    void datagramTailKeepsTheChannelOpenAndLogsEachKindOfFailureInOneLine() {
        EmbeddedChannel datagrams = EmbeddedChannel.builder().ticker(ticker)
                .handlers(ExceptionTailHandler.forDatagrams(context)).build();
        try {
            datagrams.pipeline().fireExceptionCaught(new IOException("sendmsg(..) failed: Network is unreachable"));
            datagrams.pipeline().fireExceptionCaught(new DecoderException("bad header"));
            datagrams.pipeline().fireExceptionCaught(new IllegalStateException("bug"));

            assertThat(datagrams.isOpen()).isTrue();
            datagrams.checkException();
            assertThat(peerLogs.events()).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.INFO);
                assertThat(e.getFormattedMessage()).startsWith("datagram channel ")
                        .endsWith(" kept open after an I/O error: sendmsg(..) failed: Network is unreachable");
                assertThat(e.getThrowableProxy()).isNull();
            });
            assertThat(inputLogs.events()).satisfiesExactly(
                    e -> assertThat(e.getFormattedMessage()).endsWith("kept open after malformed input: bad header"),
                    e -> assertThat(e.getThrowableProxy().getMessage()).isEqualTo("bug"));
        } finally {
            datagrams.finishAndReleaseAll();
        }
    }

    @Test
    void datagramTailLogsAtMostOneLineASecondPerKindAndSummarizes() {
        EmbeddedChannel datagrams = EmbeddedChannel.builder().ticker(ticker)
                .handlers(ExceptionTailHandler.forDatagrams(context)).build();
        try {
            for (int i = 0; i < 100; i++) {
                datagrams.pipeline().fireExceptionCaught(new DecoderException("bad " + i));
            }
            assertThat(inputLogs.events()).hasSize(1);

            ticker.advance(1, TimeUnit.SECONDS);
            datagrams.runScheduledPendingTasks();

            assertThat(inputLogs.messages()).element(1).isEqualTo("99 more malformed inputs in the last second");
            assertThat(datagrams.isOpen()).isTrue();
        } finally {
            datagrams.finishAndReleaseAll();
        }
    }

    /** Counts close requests and holds them back until released. */
    private static final class CloseHolder extends ChannelOutboundHandlerAdapter {
        int requested;
        boolean release;

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            if (release) {
                ctx.close(promise);
            } else {
                requested++;
            }
        }
    }
}
