package io.netserve.echo.tcp;

import io.netserve.core.Transport;

/** {@link EchoServerSuite} on the io_uring transport. */
class IoUringEchoServerTest extends EchoServerSuite {

    IoUringEchoServerTest() {
        super(Transport.IO_URING);
    }
}
