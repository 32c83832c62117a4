package io.netserve.core.server;

import io.netserve.core.transport.Transport;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link AbstractTcpServerTest} on Linux epoll, where it loads. */
class EpollTcpServerTest extends AbstractTcpServerTest {

    @BeforeAll
    static void requireTransport() {
        assumeTrue(Transport.EPOLL.isAvailable(), () -> "epoll: " + Transport.EPOLL.unavailabilityCause().orElseThrow());
    }

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }
}
