package io.netserve.core.internal.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.UncheckedBooleanSupplier;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide budget of buffered bytes: what all of a server's connections may hold at once
 * in bytes still to be written ({@code ServerConfig.maxBufferedBytes}), shared out evenly among
 * the connections open. Each connection may owe its peer at most half its share before it stops
 * being read from (its write-buffer high water mark, never above the configured one), and reads as
 * much at most at a time, so that N connections whose peers all stopped reading hold about
 * the budget, not N times the configured water mark. As connections open the share shrinks, and
 * as they close it grows again: the connections owing the most are the first past their share,
 * so the first to stop being read from, and each reads again once what it owes falls below its low
 * water mark. A connection that stays past its share for the write-stall timeout is closed by
 * {@link WriteStallHandler}.
 *
 * <p>Cheap on the hot path by construction: nothing per write or per message. The counts change
 * once per connection opened and closed; each connection takes the current water marks and read
 * size at the start of each read loop, through {@link #recvAllocator()} (one volatile read and a
 * comparison), and Netty's own outbound accounting does the rest. A connection that does not read
 * keeps its marks until it reads again: it adds nothing meanwhile.
 *
 * <pre>{@code
 * BufferBudget budget = new BufferBudget(config.maxBufferedBytes(), config.writeBufferLowWaterMark(),
 *         config.writeBufferHighWaterMark());
 * channel.config().setRecvByteBufAllocator(budget.recvAllocator());   // per connection, before it reads
 * budget.opened(); ... budget.closed();                                // as connections come and go
 * }</pre>
 *
 * <p>A connection's share is never below {@link #MIN_WATER_MARK} owed plus as much read, so with
 * more than {@code maxBufferedBytes / 2 KiB} connections the sum may pass the budget by that floor.
 * Bytes a protocol's decoders hold are not counted: Netty keeps them inside each decoder. Thread-safe.
 */
public final class BufferBudget {

    /** The least high water mark, and the least read size, the budget gives a connection. */
    public static final int MIN_WATER_MARK = 1024;

    /** The most a connection reads at a time, the default of Netty's adaptive allocator. */
    static final int MAX_READ = 64 * 1024;

    /** Reads per read loop at most: what Netty gives its socket channels. */
    static final int MAX_MESSAGES_PER_READ = 16;

    /** Shares are rounded down to this, so that the marks change every few connections, not each one. */
    private static final int STEP = 512;

    private final long budget;
    private final int lowWaterMark;
    private final int highWaterMark;
    private final AdaptiveRecvByteBufAllocator reads = new AdaptiveRecvByteBufAllocator();
    private final Allocator allocator = new Allocator();
    private final AtomicInteger open = new AtomicInteger();
    private volatile WriteBufferWaterMark waterMark;
    private volatile int maxRead;

    /**
     * A budget of {@code maxBufferedBytes} for connections whose configured water marks are
     * {@code lowWaterMark} and {@code highWaterMark}: what each gets while the budget allows it.
     */
    public BufferBudget(long maxBufferedBytes, int lowWaterMark, int highWaterMark) {
        if (maxBufferedBytes < 1 || lowWaterMark < 1 || highWaterMark < lowWaterMark) {
            throw new IllegalArgumentException("need 0 < low <= high water mark and a positive budget, was "
                    + maxBufferedBytes + ", " + lowWaterMark + ", " + highWaterMark);
        }
        this.budget = maxBufferedBytes;
        this.lowWaterMark = lowWaterMark;
        this.highWaterMark = highWaterMark;
        reads.maxMessagesPerRead(MAX_MESSAGES_PER_READ);
        share(0);
    }

    /** The bytes {@code channels} owe their peers now (written, not yet taken by their sockets). */
    public static long pendingBytes(Iterable<Channel> channels) {
        long sum = 0;
        for (Channel ch : channels) {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            if (out != null) {
                sum += out.totalPendingWriteBytes();
            }
        }
        return sum;
    }

    /** Counts a connection opened; the shares shrink. */
    public void opened() {
        share(open.incrementAndGet());
    }

    /** Counts a connection closed; the shares grow. */
    public void closed() {
        share(open.decrementAndGet());
    }

    /** The water marks each connection gets now. */
    public WriteBufferWaterMark waterMark() {
        return waterMark;
    }

    /** The most bytes a connection reads at a time now. */
    public int maxRead() {
        return maxRead;
    }

    /**
     * The receive-buffer allocator each connection is to use: Netty's adaptive one, reading at most
     * {@link #maxRead()} at a time, which also hands the connection the current {@link #waterMark()}
     * at the start of each read loop.
     */
    public RecvByteBufAllocator recvAllocator() {
        return allocator;
    }

    private void share(int connections) {
        long half = budget / Math.max(1, connections) / 2;
        int high = (int) Math.max(MIN_WATER_MARK, Math.min(highWaterMark, half / STEP * STEP));
        if (high == highWaterMark) {
            publish(new WriteBufferWaterMark(lowWaterMark, highWaterMark), MAX_READ);
        } else {
            int low = (int) Math.max(1, (long) high * lowWaterMark / highWaterMark);
            publish(new WriteBufferWaterMark(low, high), high);
        }
    }

    private void publish(WriteBufferWaterMark marks, int read) {
        WriteBufferWaterMark current = waterMark;
        if (current == null || current.high() != marks.high() || current.low() != marks.low()) {
            waterMark = marks;
        }
        if (maxRead != read) {
            maxRead = read;
        }
    }

    @Override
    public String toString() {
        return "BufferBudget{" + budget + " bytes, " + open.get() + " connections, " + waterMark + ", maxRead="
                + maxRead + "}";
    }

    /** Netty's adaptive allocator, capped and carrying the water marks. */
    private final class Allocator implements MaxMessagesRecvByteBufAllocator {
        @Override
        public Handle newHandle() {
            return new CappedHandle((ExtendedHandle) reads.newHandle());
        }

        @Override
        public int maxMessagesPerRead() {
            return reads.maxMessagesPerRead();
        }

        @Override
        public MaxMessagesRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
            reads.maxMessagesPerRead(maxMessagesPerRead);
            return this;
        }
    }

    /** Delegates to the adaptive allocator's handle; caps its guess, updates the marks on reset. */
    private final class CappedHandle implements RecvByteBufAllocator.ExtendedHandle {
        private final RecvByteBufAllocator.ExtendedHandle delegate;

        CappedHandle(RecvByteBufAllocator.ExtendedHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(guess());
        }

        @Override
        public int guess() {
            return Math.min(delegate.guess(), maxRead);
        }

        @Override
        public void reset(ChannelConfig config) {
            WriteBufferWaterMark marks = waterMark;
            if (config.getWriteBufferWaterMark() != marks) {
                config.setWriteBufferWaterMark(marks);
            }
            delegate.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            delegate.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            delegate.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return delegate.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            delegate.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return delegate.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return delegate.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return delegate.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            delegate.readComplete();
        }
    }
}
