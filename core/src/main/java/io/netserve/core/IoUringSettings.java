package io.netserve.core;

/**
 * Netty's io_uring settings that netserve's servers depend on, set before Netty's {@code IoUring}
 * class reads them and only where the user set nothing.
 *
 * <p>Multishot {@code POLL_ADD} is off: with it, Netty 4.2.18 misses the wake-up of a peer's reset
 * that arrives while a receive is in flight, and a connection the server is not writing to then
 * stays open, never seeing the reset ({@code TcpServerSuite} has the case).
 * {@code -Dio.netty.iouring.pollAddMultishotEnabled=true} turns it back on.
 */
final class IoUringSettings {

    /** Netty's switch for multishot {@code POLL_ADD}. */
    static final String POLL_ADD_MULTISHOT = "io.netty.iouring.pollAddMultishotEnabled";

    private IoUringSettings() {
    }

    static void apply() {
        if (System.getProperty(POLL_ADD_MULTISHOT) == null) {
            System.setProperty(POLL_ADD_MULTISHOT, "false");
        }
    }
}
