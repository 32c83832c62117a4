package io.netserve.samples.chat;

import io.netserve.core.Transport;
import io.netserve.samples.Transports;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf("io.netserve.samples.Transports#nativeAvailable")
class NativeChatServerTest extends ChatServerContract {
    @Override
    Transport transport() {
        return Transports.nativeTransport();
    }
}
