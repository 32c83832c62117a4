package io.netserve.core.server;

import io.netty.util.NetUtil;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * A server's address could not be bound: in use, not local, or not permitted. The message names
 * the address and keeps only the operating system's reason, e.g.
 * {@code cannot bind 127.0.0.1:65432: Address already in use}.
 */
public final class BindFailedException extends ServerStartException {

    private static final long serialVersionUID = 1L;
    private static final Pattern NATIVE_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

    private final transient InetSocketAddress address;

    /** A failure to bind {@code address}, for {@code cause} (the transport's bind failure). */
    public BindFailedException(InetSocketAddress address, Throwable cause) {
        super("cannot bind " + NetUtil.toSocketAddressString(address) + ": " + reason(cause), cause);
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
