package io.netserve.core.tcp;

import io.netserve.core.Transport;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link TcpClientSuite} on Linux io_uring, where it loads. */
class IoUringTcpClientTest extends TcpClientSuite {

    @BeforeAll
    static void requireTransport() {
        assumeTrue(Transport.IO_URING.isAvailable(), () -> "io_uring: " + Transport.IO_URING.unavailabilityCause().orElseThrow());
    }

    @Override
    Transport transport() {
        return Transport.IO_URING;
    }
}
