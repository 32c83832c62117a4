package io.netserve.core.tcp;

import io.netserve.core.Transport;

/** {@link TcpServerTlsSuite} on Java NIO, available everywhere. */
class NioTcpServerTlsTest extends TcpServerTlsSuite {

    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
