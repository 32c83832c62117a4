package io.netserve.core.server;

import java.net.InetSocketAddress;

/** The server's address could not be bound: in use, not local, or not permitted. */
public final class BindFailedException extends ServerStartException {

    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress address;

    BindFailedException(InetSocketAddress address, Throwable cause) {
        super("cannot bind " + Addresses.format(address) + ": " + reason(cause), cause);
        this.address = address;
    }

    /** The address that could not be bound. */
    public InetSocketAddress address() {
        return address;
    }

    private static String reason(Throwable cause) {
        String m = cause.getMessage();
        if (m == null) {
            return cause.getClass().getSimpleName();
        }
        // Native transports say "bind(..) failed: Address already in use"; keep the OS's words.
        int colon = m.indexOf("failed: ");
        return colon >= 0 ? m.substring(colon + "failed: ".length()) : m;
    }
}
