package io.netserve.core.udp;

import io.netserve.core.Transport;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link UdpClientSuite} on BSD and macOS kqueue, where it loads. */
class KQueueUdpClientTest extends UdpClientSuite {

    @BeforeAll
    static void requireTransport() {
        assumeTrue(Transport.KQUEUE.isAvailable(), () -> "kqueue: " + Transport.KQUEUE.unavailabilityCause().orElseThrow());
    }

    @Override
    Transport transport() {
        return Transport.KQUEUE;
    }
}
