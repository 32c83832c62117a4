package io.netserve.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * A connect loop on epoll that drives Netty's native sockets from its event loop itself, without
 * a channel: socket, connect, send, read, close, as a hand-written epoll client does.
 *
 * <p>A connection rate measures the server's accept path, so the client's own cost per connection
 * must stay below it. A Netty channel per connection makes nearly twice the system calls of a
 * hand-written client (the addresses read back three times, the send buffer's size, one more
 * {@code epoll_ctl}) and builds a pipeline, and on one core that bounded the rate. Here a
 * connection makes ten calls, as many as {@code ../shared/bench}'s C loadgen: {@code socket},
 * {@code getsockname} (Netty's socket learns its family), {@code setsockopt(TCP_NODELAY)},
 * {@code connect}, {@code epoll_ctl} to add it, {@code getsockopt(SO_ERROR)}, {@code write},
 * {@code epoll_ctl} to wait for the echo, {@code read} and {@code close}, which also takes it out
 * of epoll.
 */
final class EpollConnectLoop extends TcpConnectScenario.ConnectLoop {

    /** The most bytes read with one call; the message's remaining length plus one, so an over-long echo shows. */
    private static final int MAX_READ = 64 * 1024;

    private final IoEventLoop loop;
    private final SocketProtocolFamily family;
    private final ByteBuffer payloads;
    private final ByteBuf readBuffer;
    private Attempt current;

    EpollConnectLoop(int index, int conns, int size, Recorder recorder, Run run) {
        super(index, conns, size, recorder, run);
        this.loop = (IoEventLoop) recorder.loop();
        this.family = ClientTransport.familyOf(run.server().getAddress());
        this.payloads = run.payloads().view();
        this.readBuffer = run.allocator().directBuffer(Math.min(size + 1, MAX_READ));
        idle.addListener(f -> readBuffer.release());
    }

    @Override
    void connect(long id) {
        Attempt attempt;
        try {
            attempt = new Attempt(id, new StreamSocket(family));
        } catch (RuntimeException e) { // Netty's ChannelException: no socket (too many open files, say)
            connectFailed(e);
            return;
        }
        current = attempt;
        attempt.start();
    }

    @Override
    void stop() {
        if (current != null) {
            current.end();
        }
        idle.trySuccess(null);
    }

    /** A TCP socket of one family; Netty makes one only through a subclass. */
    private static final class StreamSocket extends Socket {
        StreamSocket(SocketProtocolFamily family) {
            super(newSocketStream0(family));
        }
    }

    /** One connection: its socket, its registration with the loop, and how far it got. */
    private final class Attempt implements EpollIoHandle {
        private final long id;
        private final StreamSocket socket;
        private final int offset;
        private IoRegistration registration;
        private boolean connected;
        private int sent;
        private int received;

        Attempt(long id, StreamSocket socket) {
            this.id = id;
            this.socket = socket;
            this.offset = Payloads.datagramOffset(0, id);
        }

        void start() {
            try {
                socket.setTcpNoDelay(true);
                connected = socket.connect(run.server());
                Future<IoRegistration> registered = loop.register(this); // done at once: this runs on the loop
                if (!registered.isSuccess()) {
                    throw new IOException("cannot register with the event loop", registered.cause());
                }
                registration = registered.getNow();
                if (connected) {
                    send();
                } else {
                    registration.submit(EpollIoOps.EPOLLOUT);
                }
            } catch (IOException | UncheckedIOException e) {
                end();
                connectFailed(e);
            }
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            try {
                if (!connected) {
                    if (!socket.finishConnect()) {
                        return;
                    }
                    connected = true;
                    send();
                } else if (sent < size) {
                    send();
                } else {
                    read();
                }
            } catch (IOException | UncheckedIOException e) {
                end();
                if (connected) {
                    failed(id, e);
                    next();
                } else {
                    connectFailed(e);
                }
            }
        }

        private void send() throws IOException {
            sent += socket.write(payloads, offset + sent, offset + size);
            registration.submit(sent < size ? EpollIoOps.EPOLLOUT : EpollIoOps.EPOLLIN);
        }

        private void read() throws IOException {
            int want = Math.min(size - received + 1, readBuffer.capacity());
            ByteBuffer into = readBuffer.internalNioBuffer(0, want);
            int n = socket.read(into, into.position(), into.limit());
            if (n == 0) {
                return; // nothing there after all (EAGAIN)
            }
            if (n < 0) {
                end();
                endedEarly(id, received);
                next();
                return;
            }
            if (received + n > size || !recorder.checker().matches(readBuffer, 0, offset + received, n)) {
                end();
                mismatch(id);
                next();
                return;
            }
            received += n;
            if (received == size) {
                end();
                echoed(System.nanoTime());
                next();
            }
        }

        /**
         * Closes the socket, then cancels the registration: closing took the socket out of epoll,
         * so the cancel needs no system call.
         */
        void end() {
            if (current == this) {
                current = null;
            }
            close();
            if (registration != null) {
                registration.cancel();
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a socket of ours that is open does not fail; nothing is lost if it did.
            }
        }
    }
}
