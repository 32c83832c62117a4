package io.netserve.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.uring.IoUringChannelOption;

import java.util.ArrayList;
import java.util.List;

/** The client channels' settings, shared by the scenarios. */
final class Channels {

    /** Datagrams one receive buffer holds on epoll, read with one {@code recvmmsg}. */
    static final int DATAGRAMS_PER_READ_CALL = 16;

    /** Largest TCP read: big enough that a bulk transfer's echo is read with one call, not two. */
    static final int MAX_TCP_READ = 256 * 1024;

    private Channels() {
    }

    /**
     * A TCP bootstrap on {@code recorder}'s loop: no Nagle (Netty's default, which saves a
     * {@code setsockopt} per connection over setting it again), pooled buffers, reads of up to
     * {@value #MAX_TCP_READ} bytes, and a write-buffer high
     * mark above {@code inFlightBytes}, the most a scenario ever has outstanding on a connection
     * (the scenario's window is the flow control).
     */
    static Bootstrap tcp(Run run, Recorder recorder, long inFlightBytes) {
        int high = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(64 * 1024, 2 * inFlightBytes));
        return new Bootstrap()
                .group(recorder.loop())
                .channelFactory(run.transport().socketChannels(ClientTransport.familyOf(run.server().getAddress())))
                .option(ChannelOption.ALLOCATOR, run.allocator())
                .option(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, MAX_TCP_READ))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) (Run.PHASE_TIMEOUT_SECONDS * 1000 / 3))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high));
    }

    /**
     * A UDP bootstrap on {@code recorder}'s loop for replies of {@code size} bytes: each read slot
     * has one byte more, so that a longer reply shows, and on epoll and io_uring one buffer holds
     * {@value #DATAGRAMS_PER_READ_CALL} slots for batched reads.
     */
    static Bootstrap udp(Run run, Recorder recorder, int size, long inFlightBytes) {
        int slot = size + 1;
        boolean batched = run.transport() != ClientTransport.NIO;
        FixedRecvByteBufAllocator reads = new FixedRecvByteBufAllocator(batched ? slot * DATAGRAMS_PER_READ_CALL : slot);
        // One recvmmsg per readiness: with the window at most one buffer's worth is pending, and a
        // second call would only return EAGAIN (the socket stays readable if more is left).
        reads.maxMessagesPerRead(1);
        int high = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(64 * 1024, 2 * inFlightBytes));
        Bootstrap b = new Bootstrap()
                .group(recorder.loop())
                .channelFactory(run.transport().datagramChannels(ClientTransport.familyOf(run.server().getAddress())))
                .option(ChannelOption.ALLOCATOR, run.allocator())
                .option(ChannelOption.RECVBUF_ALLOCATOR, reads)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high));
        if (run.transport() == ClientTransport.EPOLL) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
        } else if (run.transport() == ClientTransport.IO_URING) {
            b.option(IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
        }
        return b;
    }

    /** Whether datagrams can go out as one {@code UDP_SEGMENT} send on {@code transport}: on epoll, where the kernel has it. */
    static boolean segmentsDatagrams(ClientTransport transport) {
        return transport == ClientTransport.EPOLL && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    }

    /** Closes every channel and waits until they are closed (or the phase time-out passes). */
    static void closeAll(Run run, List<? extends Channel> channels) throws InterruptedException {
        List<ChannelFuture> closing = new ArrayList<>(channels.size());
        for (Channel c : channels) {
            if (c != null) {
                closing.add(c.close());
            }
        }
        for (ChannelFuture f : closing) {
            f.await(Run.PHASE_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
