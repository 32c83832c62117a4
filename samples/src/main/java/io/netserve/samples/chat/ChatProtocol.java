package io.netserve.samples.chat;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.idle.IdlePolicy;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A line-based chat room: members pick a nick with {@code /nick NAME}, every other line is
 * broadcast as {@code <nick> text} to the room, {@code /who} lists the members and {@code /quit}
 * leaves. A member silent for the idle timeout is warned, and closed if still silent after as long
 * again; a line over the maximum length gets an error line and closes that connection only.
 *
 * <pre>{@code
 * ChatProtocol chat = new ChatProtocol(new ChatRoom(), 512, Duration.ofMinutes(5));
 * TcpServer server = TcpServer.start(chat.applyTo(ServerConfig.builder()).build(), chat);
 *
 * pipeline: ChatIdlePolicy (in place of core's) ... LineBasedFrameDecoder -> StringDecoder -> LineEncoder -> ChatHandler
 * }</pre>
 */
public final class ChatProtocol implements Protocol {

    /** Default longest line, in bytes. */
    public static final int DEFAULT_MAX_LINE = 512;
    /** Default silence before the warning (and as long again before the close). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private static final int MIN_LINE = 16;
    private static final int MAX_LINE = 65_536;

    private final ChatRoom room;
    private final int maxLine;
    private final Duration idleTimeout;
    private final ChatIdlePolicy idlePolicy;

    /**
     * A chat for {@code room} accepting lines of at most {@code maxLine} bytes (16 to 65,536) and
     * warning members silent for {@code idleTimeout} (zero: never).
     */
    public ChatProtocol(ChatRoom room, int maxLine, Duration idleTimeout) {
        this.room = Objects.requireNonNull(room, "room");
        if (maxLine < MIN_LINE || maxLine > MAX_LINE) {
            throw new IllegalArgumentException("maxLine must be between " + MIN_LINE + " and " + MAX_LINE
                    + ", was " + maxLine);
        }
        this.maxLine = maxLine;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.idlePolicy = new ChatIdlePolicy(idleTimeout);
    }

    /**
     * Sets the idle timeout this protocol needs on {@code builder}: a member is idle when it has
     * sent nothing (the reader idle timeout); no other idle timeout.
     */
    public ServerConfig.Builder applyTo(ServerConfig.Builder builder) {
        return builder.readerIdleTimeout(idleTimeout).writerIdleTimeout(Duration.ZERO).allIdleTimeout(Duration.ZERO);
    }

    /** The room every connection joins. */
    public ChatRoom room() {
        return room;
    }

    @Override
    public void configure(ChannelPipeline pipeline) {
        IdlePolicy.replace(pipeline, idlePolicy);
        pipeline.addLast("lineDecoder", new LineBasedFrameDecoder(maxLine, true, true))
                .addLast("stringDecoder", new StringDecoder(StandardCharsets.UTF_8))
                .addLast("lineEncoder", new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8))
                .addLast("chat", new ChatHandler(room, maxLine));
    }
}
