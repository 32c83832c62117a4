package io.netserve.echo.tcp;

import io.netserve.core.Transport;

/** {@link EchoServerSuite} on the epoll transport. */
class EpollEchoServerTest extends EchoServerSuite {

    EpollEchoServerTest() {
        super(Transport.EPOLL);
    }
}
