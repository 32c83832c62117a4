package io.netserve.samples.chat;

import io.netserve.core.Transport;

class NioChatServerTest extends ChatServerContract {
    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
