package io.netserve.samples;

import io.netserve.core.Transport;

import java.util.stream.Stream;

/** The transports a behaviour suite runs on here: NIO always, and the first native one that loads. */
public final class Transports {

    private Transports() {
    }

    /** The first native transport available on this machine, or null. */
    public static Transport nativeTransport() {
        return Stream.of(Transport.EPOLL, Transport.IO_URING).filter(Transport::isAvailable).findFirst().orElse(null);
    }

    /** Whether a native transport loads here; for {@code @EnabledIf}. */
    public static boolean nativeAvailable() {
        return nativeTransport() != null;
    }
}
