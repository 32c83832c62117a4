package io.netserve.core.udp;

import io.netserve.core.Transport;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link UdpClientSuite} on Linux io_uring, where it loads. */
class IoUringUdpClientTest extends UdpClientSuite {

    @BeforeAll
    static void requireTransport() {
        assumeTrue(Transport.IO_URING.isAvailable(), () -> "io_uring: " + Transport.IO_URING.unavailabilityCause().orElseThrow());
    }

    @Override
    Transport transport() {
        return Transport.IO_URING;
    }
}
