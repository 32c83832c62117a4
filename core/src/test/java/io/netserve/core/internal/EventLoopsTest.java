package io.netserve.core.internal;

import io.netserve.core.Transport;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EventLoopsTest {

    @Test
    void unavailableNamedTransportIsAStartFailureWithTheLoadersReason() {
        for (Transport t : new Transport[] {Transport.EPOLL, Transport.IO_URING, Transport.KQUEUE}) {
            if (!t.isAvailable()) {
                assertThatThrownBy(() -> EventLoops.resolve(t))
                        .isExactlyInstanceOf(ServerStartException.class)
                        .hasMessageStartingWith("transport " + t.cliName() + " is not available on this system: ");
            }
        }
    }

    @Test
    void autoResolvesToTheBestAvailableTransport() throws Exception {
        Transport chosen = EventLoops.resolve(ServerConfig.defaults());

        assertThat(chosen).isNotEqualTo(Transport.AUTO).isEqualTo(Transport.AUTO.resolve());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING", "KQUEUE"})
    void namedTransportResolvesToItselfAndItsGroupShutsDown(Transport t) throws Exception {
        assumeTrue(t.isAvailable(), () -> t + " is not available here");
        assertThat(EventLoops.resolve(ServerConfig.builder().transport(t).build())).isSameAs(t);

        EventLoopGroup group = EventLoops.newGroup(t, 2, "netserve-test-loops");
        group.submit(() -> { }).get(10, TimeUnit.SECONDS);
        EventLoops.shutdown(group, 0, TimeUnit.SECONDS.toNanos(5));

        assertThat(group.isTerminated()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING", "KQUEUE"})
    void aGroupSaysWhichTransportItRuns(Transport t) {
        assumeTrue(t.isAvailable(), () -> t + " is not available here");
        EventLoopGroup group = EventLoops.newGroup(t, 1, "netserve-test");
        try {
            assertThat(EventLoops.transportOf(group)).isEqualTo(t);
        } finally {
            EventLoops.shutdown(group, 0, TimeUnit.SECONDS.toNanos(2));
        }
    }

    @Test
    void aGroupOfNoKnownTransportIsRefused() {
        EventLoopGroup local = new DefaultEventLoopGroup(1);
        try {
            assertThatThrownBy(() -> EventLoops.transportOf(local)).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("eventLoopGroup io.netty.channel.DefaultEventLoopGroup runs none of the transports "
                            + "epoll, io_uring, kqueue, nio");
        } finally {
            local.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aClientsTransportIsResolvedWithTheLoadersReason() {
        assertThat(EventLoops.resolveForClient(Transport.AUTO)).isEqualTo(Transport.AUTO.resolve());
        for (Transport t : new Transport[] {Transport.EPOLL, Transport.IO_URING, Transport.KQUEUE}) {
            if (!t.isAvailable()) {
                assertThatThrownBy(() -> EventLoops.resolveForClient(t)).isExactlyInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("transport " + t.cliName() + " is not available on this system: ");
            }
        }
    }
}
