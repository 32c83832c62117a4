package io.netserve.samples;

import io.netserve.test.UdpServerExtension;
import io.netserve.test.UdpTestClient;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * What the README's Java snippets take for granted around them, so {@link ReadmeTest} can compile
 * each one as a class that extends this: the handlers they name, and the server, client and
 * payload a fragment talks about.
 */
public abstract class ReadmeContext {

    /** A server under test, as a fragment names it. */
    protected UdpServerExtension server;
    /** A client under test, as a fragment names it. */
    protected UdpTestClient client;
    /** Bytes to send, as a fragment names them. */
    protected byte[] payload;

    /** The user's own TCP handler of the README. */
    protected static final class MyProtocolHandler extends ChannelInboundHandlerAdapter {
        /** Made by the snippets. */
        public MyProtocolHandler() {
        }
    }

    /** The user's own datagram handler of the README. */
    protected static final class MyDatagramHandler extends ChannelInboundHandlerAdapter {
        /** Made by the snippets. */
        public MyDatagramHandler() {
        }
    }
}
