package io.netserve.core.tcp;

import io.netserve.core.Transport;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link TcpClientSuite} on Linux epoll, where it loads. */
class EpollTcpClientTest extends TcpClientSuite {

    @BeforeAll
    static void requireTransport() {
        assumeTrue(Transport.EPOLL.isAvailable(), () -> "epoll: " + Transport.EPOLL.unavailabilityCause().orElseThrow());
    }

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }
}
