package io.netserve.core.pipeline;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;

class ExceptionTailHandlerTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ExceptionTailHandler.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(ExceptionTailHandler.INSTANCE);
    private final EmbeddedChannel other = new EmbeddedChannel(ExceptionTailHandler.INSTANCE);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
        channel.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }

    @Test
    void ioErrorIsOneInfoLineWithoutStackTraceAndClosesOnlyThatChannel() {
        channel.pipeline().fireExceptionCaught(new SocketException("Connection reset"));

        assertThat(channel.isOpen()).isFalse();
        assertThat(other.isOpen()).isTrue();
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).startsWith("closing connection ").endsWith(": Connection reset")
                    .doesNotContain("\n");
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void codecErrorIsOneWarnLineWithoutStackTrace() {
        channel.pipeline().fireExceptionCaught(new TooLongFrameException("frame of 70000 bytes exceeds 65536"));

        assertThat(channel.isOpen()).isFalse();
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).startsWith("closing connection ")
                    .endsWith(": malformed input: frame of 70000 bytes exceeds 65536");
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void messageComesFromTheCauseWhenTheWrapperHasNone() {
        channel.pipeline().fireExceptionCaught(new DecoderException(new IllegalStateException("bad length")));

        // DecoderException(Throwable) takes its message from the cause's toString().
        assertThat(logs.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
                .asString().endsWith("bad length");
        logs.list.clear();

        other.pipeline().fireExceptionCaught(new IOException((String) null));
        assertThat(logs.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
                .asString().endsWith(": IOException");
    }

    @Test
    void anythingElseIsAWarnWithItsStackTrace() {
        IllegalStateException bug = new IllegalStateException("handler bug");

        channel.pipeline().fireExceptionCaught(bug);

        assertThat(channel.isOpen()).isFalse();
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).startsWith("closing connection ")
                    .endsWith(" after an unhandled exception");
            assertThat(e.getThrowableProxy()).isNotNull();
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.getThrowableProxy().getMessage()).isEqualTo("handler bug");
        });
    }

    @Test
    void logsOncePerChannelEvenForTwoExceptions() {
        // On a real channel the close lands a moment later, so more exceptions can reach the tail first.
        CloseHolder closes = new CloseHolder();
        EmbeddedChannel slowToClose = new EmbeddedChannel(closes, ExceptionTailHandler.INSTANCE);
        try {
            slowToClose.pipeline().fireExceptionCaught(new IOException("first"));
            slowToClose.pipeline().fireExceptionCaught(new IllegalStateException("second"));
            other.pipeline().fireExceptionCaught(new IOException("other"));

            assertThat(closes.requested).as("each exception asks to close").isEqualTo(2);
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
                    m -> assertThat(m).endsWith(": first"),
                    m -> assertThat(m).endsWith(": other"));
            assertThat(other.isOpen()).isFalse();
        } finally {
            closes.release = true;
            slowToClose.finishAndReleaseAll();
        }
    }

    @Test
    void consumesTheException() {
        channel.pipeline().fireExceptionCaught(new IOException("gone"));

        channel.checkException();
        assertThat(ExceptionTailHandler.INSTANCE.isSharable()).isTrue();
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
