package io.netserve.core.server;

import io.netserve.core.transport.Transport;

/** {@link AbstractTcpServerTest} on Java NIO, available everywhere. */
class NioTcpServerTest extends AbstractTcpServerTest {

    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
