package io.netserve.samples.client;

/**
 * An expected failure of a client: refused, timed out, closed by the server, or an answer that
 * breaks the protocol. Its message is one line for standard error, naming the address at fault.
 */
public final class ClientException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public ClientException(String message) {
        super(message, null, false, false);
    }
}
