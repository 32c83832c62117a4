package io.netserve.core.server;

import io.netserve.core.transport.Transport;

/** {@link UdpServerBehaviourTest} on the NIO transport: one datagram channel, whatever the thread count. */
class UdpServerNioTest extends UdpServerBehaviourTest {

    @Override
    Transport transport() {
        return Transport.NIO;
    }

    @Override
    int ioThreads() {
        return 2;
    }
}
