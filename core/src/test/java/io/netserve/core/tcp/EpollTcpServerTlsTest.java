package io.netserve.core.tcp;

import io.netserve.core.Transport;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link TcpServerTlsSuite} on Linux epoll, where it loads. */
class EpollTcpServerTlsTest extends TcpServerTlsSuite {

    @BeforeAll
    static void requireTransport() {
        assumeTrue(Transport.EPOLL.isAvailable(), () -> "epoll: " + Transport.EPOLL.unavailabilityCause().orElseThrow());
    }

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }
}
