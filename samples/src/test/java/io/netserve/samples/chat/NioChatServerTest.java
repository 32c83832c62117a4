package io.netserve.samples.chat;

import io.netserve.core.Transport;

/** {@link ChatServerSuite} on Java NIO. */
class NioChatServerTest extends ChatServerSuite {

    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
