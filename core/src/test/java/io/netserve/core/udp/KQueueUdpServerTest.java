package io.netserve.core.udp;

import io.netserve.core.Transport;

/** {@link UdpServerSuite} on BSD and macOS kqueue, where it loads: one datagram channel. */
class KQueueUdpServerTest extends UdpServerSuite {

    @Override
    Transport transport() {
        return Transport.KQUEUE;
    }

    @Override
    int ioThreads() {
        return 2;
    }
}
