package io.netserve.echo.tcp;

import io.netserve.core.Transport;

/** {@link EchoServerSuite} on the nio transport. */
class NioEchoServerTest extends EchoServerSuite {

    NioEchoServerTest() {
        super(Transport.NIO);
    }
}
