package io.netserve.test;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on loopback that stands between clients and a server and mistreats datagrams by a
 * seeded rule: drops, duplicates, delays or reorders a share of them, so a test can show that a
 * UDP protocol (or its client) survives a lossy network, the same way every run.
 *
 * <pre>{@code
 * try (UdpRelay relay = UdpRelay.to(server.address()).drop(0.2).seed(42).start()) {
 *     client.send(payload, relay.address());      // reaches the server with 80 % probability
 *     ...
 *     assertThat(relay.dropped()).isPositive();
 * }
 * }</pre>
 *
 * <p>Each client address gets its own upstream socket, as a NAT would, so the server's replies go
 * back to the client they answer. Which datagrams are mistreated depends only on the seed and on
 * the order in which datagrams reach the relay. Faults apply in both directions unless
 * {@link Builder#towardsServerOnly()} or {@link Builder#towardsClientsOnly()} says otherwise.
 * Thread-safe.
 */
public final class UdpRelay implements AutoCloseable {

    private static final long REORDER_HOLD_MILLIS = 50;

    private final EventLoopGroup group;
    private final Channel front;
    private final InetSocketAddress target;
    private final Builder rule;
    private final Random random;
    private final Map<InetSocketAddress, ChannelFuture> upstreams = new HashMap<>();
    private final Map<Channel, DatagramPacket> held = new HashMap<>();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();

    private UdpRelay(Builder rule) {
        this.rule = rule;
        this.target = rule.target;
        this.random = new Random(rule.seed);
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("udp-relay", true),
                NioIoHandler.newFactory());
        try {
            this.front = bind(new Forwarder(true, null)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** A relay to {@code server}, to be configured and started. */
    public static Builder to(InetSocketAddress server) {
        return new Builder(Objects.requireNonNull(server, "server"));
    }

    /** The address clients send to instead of the server's. */
    public InetSocketAddress address() {
        return (InetSocketAddress) front.localAddress();
    }

    /** Datagrams passed on (each copy of a duplicate counts). */
    public long forwarded() {
        return forwarded.get();
    }

    /** Datagrams dropped. */
    public long dropped() {
        return dropped.get();
    }

    /** Datagrams sent twice. */
    public long duplicated() {
        return duplicated.get();
    }

    /** Datagrams held back for the delay. */
    public long delayed() {
        return delayed.get();
    }

    /** Datagrams sent after the one that followed them. */
    public long reordered() {
        return reordered.get();
    }

    /** Stops relaying and releases what it still holds. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        held.values().forEach(DatagramPacket::release);
        held.clear();
    }

    private ChannelFuture bind(Forwarder handler) {
        SocketProtocolFamily family = target.getAddress() instanceof Inet4Address
                ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        InetSocketAddress local = new InetSocketAddress(family == SocketProtocolFamily.INET ? "127.0.0.1" : "::1", 0);
        return new Bootstrap().group(group)
                .channelFactory(() -> new NioDatagramChannel(family))
                .handler(handler)
                .bind(local);
    }

    /** Passes datagrams on, from clients to the server (front) or from the server to one client (upstream). */
    private final class Forwarder extends SimpleChannelInboundHandler<DatagramPacket> {
        private final boolean towardsServer;
        private final InetSocketAddress client;

        Forwarder(boolean towardsServer, InetSocketAddress client) {
            this.towardsServer = towardsServer;
            this.client = client;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (!towardsServer) {
                relay(front, new DatagramPacket(packet.content().retain(), client), rule.towardsClients);
                return;
            }
            // Each client gets its own upstream socket, bound on first use (never waited for on this loop).
            ChannelFuture upstream = upstreams.computeIfAbsent(packet.sender(), c -> bind(new Forwarder(false, c)));
            DatagramPacket copy = new DatagramPacket(packet.content().retain(), target);
            if (upstream.isDone()) {
                relayOrRelease(upstream, copy);
            } else {
                upstream.addListener(f -> relayOrRelease(upstream, copy));
            }
        }

        private void relayOrRelease(ChannelFuture upstream, DatagramPacket copy) {
            if (upstream.isSuccess()) {
                relay(upstream.channel(), copy, rule.towardsServer);
            } else {
                copy.release();
            }
        }
    }

    /** Sends {@code packet} on {@code out}, mistreated by the rule if {@code faulty}; takes its reference. */
    private void relay(Channel out, DatagramPacket packet, boolean faulty) {
        DatagramPacket before = held.remove(out);
        double r = faulty ? random.nextDouble() : 1;
        if (r < rule.drop) {
            dropped.incrementAndGet();
            packet.release();
        } else if ((r -= rule.drop) < rule.duplicate) {
            duplicated.incrementAndGet();
            send(out, packet.retainedDuplicate());
            send(out, packet);
        } else if ((r -= rule.duplicate) < rule.delayShare) {
            delayed.incrementAndGet();
            out.eventLoop().schedule(() -> send(out, packet), rule.delay.toNanos(), TimeUnit.NANOSECONDS);
        } else if ((r -= rule.delayShare) < rule.reorder && before == null) {
            reordered.incrementAndGet();
            held.put(out, packet);
            out.eventLoop().schedule(() -> {
                DatagramPacket late = held.remove(out);
                if (late != null) {
                    send(out, late);
                }
            }, REORDER_HOLD_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            send(out, packet);
        }
        if (before != null) {
            send(out, before); // held back: goes after the one that came next
        }
    }

    private void send(Channel out, DatagramPacket packet) {
        forwarded.incrementAndGet();
        out.writeAndFlush(packet, out.voidPromise());
    }

    /** How a relay mistreats datagrams; each share is a probability from 0 to 1, their sum at most 1. */
    public static final class Builder {
        private final InetSocketAddress target;
        private double drop;
        private double duplicate;
        private double delayShare;
        private Duration delay = Duration.ZERO;
        private double reorder;
        private long seed = 1;
        private boolean towardsServer = true;
        private boolean towardsClients = true;

        private Builder(InetSocketAddress target) {
            this.target = target;
        }

        /** Drops this share of datagrams. */
        public Builder drop(double share) {
            this.drop = share(share, "drop");
            return this;
        }

        /** Sends this share of datagrams twice. */
        public Builder duplicate(double share) {
            this.duplicate = share(share, "duplicate");
            return this;
        }

        /** Holds this share of datagrams back for {@code delay}. */
        public Builder delay(Duration delay, double share) {
            this.delay = Objects.requireNonNull(delay, "delay");
            this.delayShare = share(share, "delay");
            return this;
        }

        /** Sends this share of datagrams after the next one (or after 50 ms if none follows). */
        public Builder reorder(double share) {
            this.reorder = share(share, "reorder");
            return this;
        }

        /** The seed of the rule's random choices; the same seed mistreats the same datagrams. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Mistreats only datagrams from clients to the server; replies pass untouched. */
        public Builder towardsServerOnly() {
            this.towardsServer = true;
            this.towardsClients = false;
            return this;
        }

        /** Mistreats only the server's replies; requests pass untouched. */
        public Builder towardsClientsOnly() {
            this.towardsServer = false;
            this.towardsClients = true;
            return this;
        }

        /**
         * Binds the relay on loopback and starts relaying.
         *
         * @throws IllegalArgumentException if the shares add up to more than 1
         */
        public UdpRelay start() {
            if (drop + duplicate + delayShare + reorder > 1) {
                throw new IllegalArgumentException("the shares add up to more than 1");
            }
            return new UdpRelay(this);
        }

        private static double share(double share, String name) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException(name + " must be a share from 0 to 1, was " + share);
            }
            return share;
        }
    }
}
