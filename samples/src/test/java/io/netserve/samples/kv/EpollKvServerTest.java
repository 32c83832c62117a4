package io.netserve.samples.kv;

import io.netserve.core.Transport;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link KvServerSuite} on Linux epoll, where it loads. */
class EpollKvServerTest extends KvServerSuite {

    @BeforeAll
    static void requireTransport() {
        assumeTrue(Transport.EPOLL.isAvailable(), () -> "epoll: " + Transport.EPOLL.unavailabilityCause().orElseThrow());
    }

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }
}
