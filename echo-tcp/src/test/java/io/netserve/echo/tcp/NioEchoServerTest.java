package io.netserve.echo.tcp;

import io.netserve.core.transport.Transport;

/** {@link EchoServerSuite} on the nio transport. */
class NioEchoServerTest extends EchoServerSuite {

    NioEchoServerTest() {
        super(Transport.NIO);
    }
}
