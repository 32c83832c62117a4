package io.netserve.core.udp;

import io.netserve.core.internal.udp.Datagrams;
import io.netserve.core.udp.SessionDatagramHandler.ExpiryReason;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionDatagramHandlerTest {

    /** A session per peer that counts its datagrams and records every hand-over and expiry. */
    private static final class Recording extends SessionDatagramHandler<List<DatagramPacket>> {
        final List<InetSocketAddress> created = new ArrayList<>();
        final List<String> expired = new ArrayList<>();

        Recording(Duration idle, int max) {
            super(idle, max);
        }

        @Override
        protected List<DatagramPacket> newSession(InetSocketAddress peer) {
            created.add(peer);
            return new ArrayList<>();
        }

        @Override
        protected void datagramReceived(ChannelHandlerContext ctx, List<DatagramPacket> session,
                                        DatagramPacket packet) {
            session.add(packet);
        }

        @Override
        protected void sessionExpired(ChannelHandlerContext ctx, InetSocketAddress peer,
                                      List<DatagramPacket> session, ExpiryReason reason) {
            expired.add(peer.getPort() + " " + reason + " after " + session.size());
        }
    }

    private Recording handler;
    private EmbeddedChannel channel;

    private void open(Duration idle, int max) {
        handler = new Recording(idle, max);
        channel = new EmbeddedChannel(handler);
        channel.freezeTime();
    }

    private void advance(long ms) {
        channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void createsASessionOnTheFirstDatagramAndReleasesEveryPacketOnce() {
        open(Duration.ofSeconds(10), 8);
        DatagramPacket first = Datagrams.from(40000, 4);
        DatagramPacket second = Datagrams.from(40000, 4);

        channel.writeInbound(first);
        assertThat(handler.created).containsExactly(new InetSocketAddress("127.0.0.1", 40000));
        channel.writeInbound(second);

        assertThat(handler.created).hasSize(1);
        assertThat(handler.sessionCount()).isEqualTo(1);
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void handsTheSameSessionToTheSamePeerAndItsOwnToEachOther() {
        List<List<DatagramPacket>> seen = new ArrayList<>();
        SessionDatagramHandler<List<DatagramPacket>> h = new SessionDatagramHandler<>(Duration.ofSeconds(10), 8) {
            @Override
            protected List<DatagramPacket> newSession(InetSocketAddress peer) {
                return new ArrayList<>();
            }

            @Override
            protected void datagramReceived(ChannelHandlerContext ctx, List<DatagramPacket> s, DatagramPacket p) {
                s.add(p);
                seen.add(s);
            }
        };
        channel = new EmbeddedChannel(h);
        channel.writeInbound(Datagrams.from(40000, 1));
        channel.writeInbound(Datagrams.from(40001, 1));
        channel.writeInbound(Datagrams.from(40000, 1));
        channel.writeInbound(Datagrams.from("::1", 40000, 1));

        assertThat(seen.get(0)).isSameAs(seen.get(2)).hasSize(2);
        assertThat(seen.get(1)).isNotSameAs(seen.get(0)).hasSize(1);
        assertThat(seen.get(3)).isNotSameAs(seen.get(0)).isNotSameAs(seen.get(1)).hasSize(1);
        assertThat(h.sessionCount()).isEqualTo(3);
    }

    @Test
    void expiresAnIdleSessionWithAnEventAndStartsAFreshOneAfter() {
        open(Duration.ofSeconds(10), 8);
        channel.writeInbound(Datagrams.from(40000, 1));
        advance(6_000);
        channel.writeInbound(Datagrams.from(40000, 1)); // activity moves the deadline
        channel.writeInbound(Datagrams.from(40001, 1));
        advance(9_999);
        assertThat(handler.expired).isEmpty();

        advance(1);
        assertThat(handler.expired).containsExactly("40000 IDLE after 2", "40001 IDLE after 1");
        assertThat(handler.sessionCount()).isZero();

        channel.writeInbound(Datagrams.from(40000, 1));
        assertThat(handler.created).hasSize(3);
        assertThat(handler.sessionCount()).isEqualTo(1);
    }

    @Test
    void expiresEachSessionAtItsOwnDeadline() {
        open(Duration.ofSeconds(10), 8);
        channel.writeInbound(Datagrams.from(40000, 1));
        advance(4_000);
        channel.writeInbound(Datagrams.from(40001, 1));
        advance(6_000);
        assertThat(handler.expired).containsExactly("40000 IDLE after 1");
        advance(3_999);
        assertThat(handler.expired).hasSize(1);
        advance(1);
        assertThat(handler.expired).containsExactly("40000 IDLE after 1", "40001 IDLE after 1");
    }

    @Test
    void evictsTheLeastRecentlyActiveSessionAtTheCapWithAnEvent() {
        open(Duration.ofSeconds(10), 3);
        channel.writeInbound(Datagrams.from(40000, 1));
        channel.writeInbound(Datagrams.from(40001, 1));
        channel.writeInbound(Datagrams.from(40002, 1));
        channel.writeInbound(Datagrams.from(40000, 1)); // 40001 is now the least recently active

        channel.writeInbound(Datagrams.from(40003, 1));

        assertThat(handler.expired).containsExactly("40001 EVICTED after 1");
        assertThat(handler.sessionCount()).isEqualTo(3);
        channel.writeInbound(Datagrams.from(40004, 1));
        assertThat(handler.expired).containsExactly("40001 EVICTED after 1", "40002 EVICTED after 1");
    }

    @Test
    void aMillionSpoofedSourcesNeverGrowTheTablePastTheCap() throws UnknownHostException {
        int cap = 1_000;
        long[] expired = new long[1];
        int[] largest = new int[1];
        SessionDatagramHandler<Object> h = new SessionDatagramHandler<>(Duration.ofSeconds(60), cap) {
            @Override
            protected Object newSession(InetSocketAddress peer) {
                return peer;
            }

            @Override
            protected void datagramReceived(ChannelHandlerContext ctx, Object s, DatagramPacket p) {
                largest[0] = Math.max(largest[0], sessionCount());
            }

            @Override
            protected void sessionExpired(ChannelHandlerContext ctx, InetSocketAddress peer, Object s,
                                          ExpiryReason reason) {
                if (reason == ExpiryReason.EVICTED) {
                    expired[0]++;
                }
            }
        };
        channel = new EmbeddedChannel(h);
        InetSocketAddress local = Datagrams.SERVER;
        byte[] ip = {10, 0, 0, 0};
        for (int i = 0; i < 1_000_000; i++) {
            ip[1] = (byte) (i >>> 16);
            ip[2] = (byte) (i >>> 8);
            ip[3] = (byte) i;
            DatagramPacket p = new DatagramPacket(Unpooled.EMPTY_BUFFER.retainedDuplicate(), local,
                    new InetSocketAddress(InetAddress.getByAddress(ip), 5000));
            channel.writeInbound(p);
        }
        assertThat(largest[0]).isEqualTo(cap);
        assertThat(h.sessionCount()).isEqualTo(cap);
        assertThat(expired[0]).isEqualTo(1_000_000 - cap);
    }

    @Test
    void releasesThePacketWhenTheSubclassThrows() {
        SessionDatagramHandler<Object> h = new SessionDatagramHandler<>(Duration.ofSeconds(1), 1) {
            @Override
            protected Object newSession(InetSocketAddress peer) {
                return new Object();
            }

            @Override
            protected void datagramReceived(ChannelHandlerContext ctx, Object s, DatagramPacket p) {
                throw new IllegalStateException("bad datagram");
            }
        };
        channel = new EmbeddedChannel(h);
        DatagramPacket packet = Datagrams.from(40000, 4);

        assertThatThrownBy(() -> channel.writeInbound(packet)).hasMessage("bad datagram");
        assertThat(packet.refCnt()).isZero();
    }

    @Test
    void passesOnDatagramsWithoutASenderAndOtherMessages() {
        open(Duration.ofSeconds(1), 1);
        DatagramPacket connected = new DatagramPacket(Unpooled.buffer(1).writeByte(1), Datagrams.SERVER, null);
        channel.writeInbound(connected, "text");

        assertThat(channel.<Object>readInbound()).isSameAs(connected);
        assertThat(channel.<Object>readInbound()).isEqualTo("text");
        assertThat(handler.sessionCount()).isZero();
        connected.release();
    }

    @Test
    void endsEverySessionWhenTheChannelCloses() {
        open(Duration.ofSeconds(10), 8);
        channel.writeInbound(Datagrams.from(40000, 1));
        channel.writeInbound(Datagrams.from(40001, 1));

        channel.close();

        assertThat(handler.expired).containsExactly("40000 CLOSED after 1", "40001 CLOSED after 1");
        advance(20_000);
        assertThat(handler.expired).hasSize(2);
    }

    @Test
    void rejectsABadTimeoutOrCap() {
        assertThatThrownBy(() -> new Recording(Duration.ZERO, 1))
                .hasMessage("idleTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> new Recording(Duration.ofSeconds(1), 0))
                .hasMessage("maxSessions must be at least 1, was 0");
    }
}
