package io.netserve.samples;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A UDP peer on loopback for tests: sends a datagram and waits (at most 10 s) for one back. */
public final class UdpPeer implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress server;

    /** A peer on an OS-chosen loopback port of {@code server}'s family, talking to {@code server}. */
    public UdpPeer(InetSocketAddress server) throws SocketException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
        socket.setSoTimeout(10_000);
    }

    /** Sends {@code text} as one datagram and returns the next datagram received, as text. */
    public String exchange(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, server));
        byte[] buffer = new byte[65_536];
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        socket.receive(reply);
        return new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        socket.close();
    }
}
