package io.netserve.core.server;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/** The server's address could not be bound: in use, not local, or not permitted. */
public final class BindFailedException extends ServerStartException {

    private static final long serialVersionUID = 1L;
    private static final Pattern NATIVE_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

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
        // Native transports say "bind(..) failed with error(-98): Address already in use"; keep the OS's words.
        return NATIVE_PREFIX.matcher(m).replaceFirst("");
    }
}
