package io.netserve.core.tcp;

import io.netserve.core.Transport;

/** {@link TcpClientSuite} on Java NIO, available everywhere. */
class NioTcpClientTest extends TcpClientSuite {

    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
