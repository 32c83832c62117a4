package io.netserve.core.internal.udp;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;

/** Datagrams for handler tests. */
public final class Datagrams {

    public static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7007);

    private Datagrams() {
    }

    public static DatagramPacket from(String host, int port, int size) {
        return new DatagramPacket(Unpooled.buffer(size).writeZero(size), SERVER, new InetSocketAddress(host, port));
    }

    public static DatagramPacket from(int port, int size) {
        return from("127.0.0.1", port, size);
    }
}
