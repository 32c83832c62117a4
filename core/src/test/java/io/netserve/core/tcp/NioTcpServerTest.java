package io.netserve.core.tcp;

import io.netserve.core.Transport;

/** {@link TcpServerSuite} on Java NIO, available everywhere. */
class NioTcpServerTest extends TcpServerSuite {

    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
