package io.netserve.samples.kv;

import io.netserve.samples.client.ClientException;
import io.netserve.samples.client.ClientOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;

/**
 * A blocking client of {@link KvProtocol}, one request at a time, on a socket whose reads time
 * out. Frames are built and read with {@link KvWire}, as the server does.
 *
 * <pre>{@code
 * try (KvClient kv = new KvClient(socket, KvProtocol.DEFAULT_MAX_FRAME)) {
 *     kv.send(KvRequest.set("greeting", "hello".getBytes(UTF_8)));
 *     KvResponse r = kv.send(KvRequest.get("greeting"));
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class KvClient implements AutoCloseable {

    private final Socket socket;
    private final int maxFrame;
    private final OutputStream out;
    private final DataInputStream in;

    /**
     * A client on the connected {@code socket}, refusing to send or receive frames whose payload is
     * longer than {@code maxFrame} bytes. It owns the socket from now on.
     */
    public KvClient(Socket socket, int maxFrame) throws IOException {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.maxFrame = maxFrame;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    /**
     * Sends {@code request} and waits for its response.
     *
     * @throws IllegalArgumentException if the request does not fit in a frame of the maximum length
     * @throws ClientException if the server does not answer in time, closes, or answers out of protocol
     */
    public KvResponse send(KvRequest request) throws ClientException {
        int size = KvWire.requestSize(request);
        if (size > maxFrame) {
            throw new IllegalArgumentException("the request takes " + size + " bytes, more than the maximum frame of "
                    + maxFrame);
        }
        ByteBuf frame = Unpooled.buffer(4 + size);
        try {
            frame.writeInt(size);
            KvWire.encodeRequest(request, frame);
            out.write(ByteBufUtil.getBytes(frame));
            out.flush();
        } catch (IOException e) {
            throw new ClientException("cannot send to " + ClientOptions.peer(socket) + ": " + e.getMessage());
        } finally {
            frame.release();
        }
        return receive();
    }

    private KvResponse receive() throws ClientException {
        String peer = ClientOptions.peer(socket);
        byte[] payload;
        try {
            int length = in.readInt();
            if (length < 0 || length > maxFrame) {
                throw new ClientException(peer + " sent a frame of " + Integer.toUnsignedString(length)
                        + " bytes, more than the maximum of " + maxFrame);
            }
            payload = in.readNBytes(length);
            if (payload.length < length) {
                throw new ClientException("connection closed by " + peer + " in the middle of a reply");
            }
        } catch (EOFException e) {
            throw new ClientException("connection closed by " + peer + " before its reply");
        } catch (SocketTimeoutException e) {
            throw new ClientException("no reply from " + peer + " within " + timeoutMillis() + " ms");
        } catch (IOException e) {
            throw new ClientException("connection to " + peer + " failed: " + e.getMessage());
        }
        try {
            return KvWire.decodeResponse(Unpooled.wrappedBuffer(payload));
        } catch (CorruptedFrameException e) {
            throw new ClientException("malformed reply from " + peer + ": " + e.getMessage());
        }
    }

    private int timeoutMillis() {
        try {
            return socket.getSoTimeout();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Closes the connection. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
