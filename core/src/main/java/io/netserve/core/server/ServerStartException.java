package io.netserve.core.server;

/**
 * A server could not start: its host did not resolve, its transport or TLS provider is not
 * available here, a TLS certificate or key file cannot be used, or (see
 * {@link BindFailedException}) its address could not be bound. The message says which, names
 * the value at fault and the system's reason; no thread is left behind.
 */
public class ServerStartException extends Exception {

    private static final long serialVersionUID = 1L;

    /** An exception with a one-line {@code message} and its {@code cause}. */
    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
