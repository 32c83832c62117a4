package io.netserve.core.internal.udp;

import io.netserve.core.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.uring.IoUringChannelOption;

import java.util.Objects;
import java.util.Optional;

/**
 * How a server's datagram channels read: every datagram whole, several per system call on the
 * native transports, and a bounded amount of memory held by replies not yet sent.
 *
 * <ul>
 *   <li><b>Whole.</b> Each datagram gets a slot of {@code maxDatagramSize + 1} bytes. The kernel
 *       cuts a datagram that does not fit its slot, so one that arrives with more than
 *       {@code maxDatagramSize} bytes did not fit: {@link OversizeDatagramGuard} drops it instead of
 *       letting a protocol answer a truncated copy.</li>
 *   <li><b>Batched.</b> On epoll the receive buffer holds {@value #DATAGRAMS_PER_CALL} slots and
 *       {@code MAX_DATAGRAM_PAYLOAD_SIZE} is the slot, so Netty reads up to that many datagrams with
 *       one {@code recvmmsg}; io_uring submits as many {@code recvmsg} operations at once. Replies
 *       written during one read batch (up to {@value #DATAGRAMS_PER_READ} datagrams) and flushed
 *       together at its end go out with one {@code sendmmsg} on epoll, one submission on io_uring.
 *       NIO and kqueue read one datagram per call into one slot.</li>
 *   <li><b>Bounded.</b> A received datagram is a slice of its read buffer, and a reply that reuses
 *       it (as an echo does) keeps that memory until it is sent. Each pending outbound datagram is
 *       therefore counted as one slot, and the channel turns unwritable past two read batches of
 *       pending replies; {@code BackpressureHandler} then stops reading until the kernel takes them.</li>
 * </ul>
 *
 * <pre>{@code
 * Bootstrap b = new Bootstrap().group(group).channel(transport.datagramChannelClass());
 * DatagramReads.configure(b, transport, config.maxDatagramSize());
 * }</pre>
 */
public final class DatagramReads {

    /**
     * Datagrams read by one system call on the native transports. Sixteen slots of the largest
     * datagram (65,508 bytes) still fit in 1 MiB, the largest buffer Netty 4.2's default allocator
     * pools (about 0.1 µs to get); a larger one is allocated afresh, about 40 µs, on every read.
     * In its low-memory mode ({@link #unpooledReadBuffers(int)}) it pools nothing above 16.5 KiB.
     */
    public static final int DATAGRAMS_PER_CALL = 16;

    /** Datagrams read before the channel fires {@code channelReadComplete} and replies are flushed. */
    public static final int DATAGRAMS_PER_READ = 64;

    /** The largest buffer Netty 4.2's adaptive allocator pools in its low-memory mode: its largest size class. */
    static final int LOW_MEMORY_POOLED_BYTES = 16_896;

    /** The heap at or below which Netty 4.2's adaptive allocator runs in its low-memory mode. */
    static final long LOW_MEMORY_HEAP_BYTES = 512L << 20;

    private DatagramReads() {
    }

    /**
     * Sets the receive allocator, the datagram payload size (native transports), the message size
     * estimator and the write-buffer water marks of {@code bootstrap} for datagrams of at most
     * {@code maxDatagramSize} bytes (as validated by the configuration) on {@code transport} (a
     * concrete one, not {@link Transport#AUTO}).
     *
     * @return {@code bootstrap}
     */
    public static Bootstrap configure(Bootstrap bootstrap, Transport transport, int maxDatagramSize) {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(transport, "transport");
        if (transport == Transport.AUTO) {
            throw new IllegalArgumentException("transport must be a concrete transport, was auto");
        }
        int slot = slotBytes(maxDatagramSize);
        FixedRecvByteBufAllocator allocator = new FixedRecvByteBufAllocator(readBufferBytes(transport, maxDatagramSize));
        allocator.maxMessagesPerRead(DATAGRAMS_PER_READ);
        bootstrap.option(ChannelOption.RECVBUF_ALLOCATOR, allocator);
        if (transport == Transport.EPOLL) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
        } else if (transport == Transport.IO_URING) {
            bootstrap.option(IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
        }
        bootstrap.option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, new SlotSizeEstimator(slot));
        int high = 2 * DATAGRAMS_PER_READ * slot;
        bootstrap.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high));
        return bootstrap;
    }

    /**
     * Why read buffers of {@code readBufferBytes} will not be pooled here, if they will not: Netty's
     * adaptive allocator (the default) runs in a low-memory mode on a heap of 512 MiB or less,
     * unless {@code io.netty.allocator.lowMemory} says otherwise, and then allocates and zeroes
     * every buffer above 16.5 KiB afresh: a UDP server answered 70 times fewer datagrams. The
     * reason names the fix, for a server to log at start.
     */
    public static Optional<String> unpooledReadBuffers(int readBufferBytes) {
        return unpooledReadBuffers(readBufferBytes, ByteBufAllocator.DEFAULT, Runtime.getRuntime().maxMemory(),
                System.getProperty("io.netty.allocator.lowMemory"));
    }

    static Optional<String> unpooledReadBuffers(int readBufferBytes, ByteBufAllocator allocator, long maxHeap,
                                                String lowMemoryProperty) {
        boolean lowMemory = lowMemoryProperty == null ? maxHeap <= LOW_MEMORY_HEAP_BYTES
                : Boolean.parseBoolean(lowMemoryProperty.trim());
        if (!(allocator instanceof AdaptiveByteBufAllocator) || !lowMemory || readBufferBytes <= LOW_MEMORY_POOLED_BYTES) {
            return Optional.empty();
        }
        return Optional.of("datagram read buffers of " + readBufferBytes + " bytes are not pooled by Netty's adaptive"
                + " allocator in its low-memory mode (a heap of " + (maxHeap >> 20) + " MiB): each read allocates one;"
                + " start the JVM with -Dio.netty.allocator.lowMemory=false, or lower maxDatagramSize");
    }

    /** The bytes given to each datagram read: one more than the largest datagram accepted. */
    public static int slotBytes(int maxDatagramSize) {
        return maxDatagramSize + 1;
    }

    /** The size of one receive buffer: {@link #DATAGRAMS_PER_CALL} slots where reads are batched, else one. */
    public static int readBufferBytes(Transport transport, int maxDatagramSize) {
        return slotBytes(maxDatagramSize) * (batchesReads(transport) ? DATAGRAMS_PER_CALL : 1);
    }

    /** Whether {@code transport} reads several datagrams per system call: epoll and io_uring. */
    public static boolean batchesReads(Transport transport) {
        return transport == Transport.EPOLL || transport == Transport.IO_URING;
    }

    /** Counts a pending datagram as the receive slot it may keep alive; anything else as Netty does. */
    private static final class SlotSizeEstimator implements MessageSizeEstimator {
        private final Handle handle;

        SlotSizeEstimator(int slot) {
            Handle fallback = DefaultMessageSizeEstimator.DEFAULT.newHandle();
            this.handle = msg -> msg instanceof DatagramPacket ? slot : fallback.size(msg);
        }

        @Override
        public Handle newHandle() {
            return handle;
        }
    }
}
