package io.netserve.samples.chat;

import io.netserve.core.Transport;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link ChatServerSuite} on Linux epoll, where it loads. */
class EpollChatServerTest extends ChatServerSuite {

    @BeforeAll
    static void requireTransport() {
        assumeTrue(Transport.EPOLL.isAvailable(), () -> "epoll: " + Transport.EPOLL.unavailabilityCause().orElseThrow());
    }

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }
}
