package io.netserve.core;

import io.netty.channel.ChannelPipeline;

/**
 * A service's own protocol: the handlers it adds to each new channel, after core's standard
 * handlers (limits, metrics, idle, flow control) and before core's exception tail. The one thing
 * a service must write, for TCP and UDP alike.
 *
 * <pre>{@code
 * Protocol echo = pipeline -> pipeline.addLast(new EchoHandler());
 * TcpServer server = TcpServer.start(config, echo);
 * }</pre>
 *
 * <p>Called once per channel on its event loop: add new handler instances each time, or
 * {@code @Sharable} ones.
 */
@FunctionalInterface
public interface Protocol {

    /** Adds this protocol's handlers to the end of {@code pipeline}. */
    void configure(ChannelPipeline pipeline);
}
