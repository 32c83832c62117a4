package io.netserve.core.udp;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;

/** Datagrams for handler tests. */
final class Datagrams {

    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7007);

    private Datagrams() {
    }

    static DatagramPacket from(String host, int port, int size) {
        return new DatagramPacket(Unpooled.buffer(size).writeZero(size), SERVER, new InetSocketAddress(host, port));
    }

    static DatagramPacket from(int port, int size) {
        return from("127.0.0.1", port, size);
    }
}
