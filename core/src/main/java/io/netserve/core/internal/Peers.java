package io.netserve.core.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.net.SocketAddress;

/**
 * Who is on the other end of a connection, for logs and limits: its remote address, or the client
 * address a PROXY-protocol header named, once one has been read.
 */
public final class Peers {

    private static final AttributeKey<SocketAddress> CLIENT = AttributeKey.valueOf(Peers.class, "client");

    private Peers() {
    }

    /** The peer of {@code ch}: the client a proxy named, else the channel's remote address. */
    public static SocketAddress remote(Channel ch) {
        if (ch.hasAttr(CLIENT)) {
            SocketAddress client = ch.attr(CLIENT).get();
            if (client != null) {
                return client;
            }
        }
        return ch.remoteAddress();
    }

    /** Records {@code client}, read from a PROXY-protocol header, as the peer of {@code ch}. */
    public static void setProxiedClient(Channel ch, SocketAddress client) {
        ch.attr(CLIENT).set(client);
    }
}
