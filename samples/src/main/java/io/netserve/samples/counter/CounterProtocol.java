package io.netserve.samples.counter;

import io.netserve.core.Protocol;
import io.netty.channel.ChannelPipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * The UDP counter protocol ({@link CounterHandler}) as a {@link Protocol} for
 * {@link io.netserve.core.server.UdpServer}: each datagram channel of the server gets its own
 * handler and session table.
 *
 * <pre>{@code
 * UdpServer server = UdpServer.start(config, new CounterProtocol(Duration.ofSeconds(60), 10_000));
 * }</pre>
 */
public final class CounterProtocol implements Protocol {

    /** The default idle time after which a peer's session ends. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(60);

    /** The default most sessions of one datagram channel. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;

    /** The longest datagram answered: its reply, up to 20 digits and a space longer, must still fit in one. */
    public static final int MAX_TEXT = 65_507 - 21;

    private final Duration sessionTimeout;
    private final int maxSessions;

    /**
     * Sessions ending after {@code sessionTimeout} (positive) of silence, at most
     * {@code maxSessions} (at least 1) per channel.
     *
     * @throws IllegalArgumentException if either is out of range
     */
    public CounterProtocol(Duration sessionTimeout, int maxSessions) {
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("must be positive, was " + sessionTimeout.toMillis() + "ms");
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("must be at least 1, was " + maxSessions);
        }
        this.sessionTimeout = sessionTimeout;
        this.maxSessions = maxSessions;
    }

    @Override
    public void configure(ChannelPipeline pipeline) {
        pipeline.addLast("counter", new CounterHandler(sessionTimeout, maxSessions));
    }
}
