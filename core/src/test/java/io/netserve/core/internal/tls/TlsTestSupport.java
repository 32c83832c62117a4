package io.netserve.core.internal.tls;

import io.netserve.core.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Event loops and parameter sources for the TLS tests: both providers where OpenSSL loads, and the
 * NIO and epoll transports where epoll loads. One single-threaded group per transport for the
 * servers and one for the clients, per test class.
 */
abstract class TlsTestSupport {

    static EventLoopGroup clientGroup;
    private static final Map<Transport, EventLoopGroup> serverGroups = new EnumMap<>(Transport.class);

    @BeforeAll
    static void startGroups() {
        clientGroup = new MultiThreadIoEventLoopGroup(1, Transport.NIO.ioHandlerFactory());
    }

    @AfterAll
    static void stopGroups() {
        clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        synchronized (serverGroups) {
            serverGroups.values().forEach(g -> g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
            serverGroups.clear();
        }
    }

    static EventLoopGroup serverGroup(Transport transport) {
        synchronized (serverGroups) {
            return serverGroups.computeIfAbsent(transport, t -> new MultiThreadIoEventLoopGroup(1, t.ioHandlerFactory()));
        }
    }

    static EventLoopGroup serverGroup() {
        return serverGroup(Transport.NIO);
    }

    /** JDK always, OpenSSL where it loads. */
    static Stream<SslProvider> providers() {
        return OpenSsl.isAvailable() ? Stream.of(SslProvider.JDK, SslProvider.OPENSSL) : Stream.of(SslProvider.JDK);
    }

    /** Every provider on every transport that loads here, of NIO and epoll. */
    static Stream<Arguments> providersAndTransports() {
        return providers().flatMap(p -> Stream.of(Transport.NIO, Transport.EPOLL)
                .filter(Transport::isAvailable)
                .map(t -> Arguments.of(p, t)));
    }
}
