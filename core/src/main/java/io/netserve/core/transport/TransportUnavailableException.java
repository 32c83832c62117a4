package io.netserve.core.transport;

/** A transport was asked for by name but cannot load here; the cause is the native loader's. */
public final class TransportUnavailableException extends RuntimeException {

    private final Transport transport;

    TransportUnavailableException(Transport transport, Throwable cause) {
        super("transport " + transport.cliName() + " is not available on this system: "
                + NativeProbe.describe(cause), cause);
        this.transport = transport;
    }

    /** The transport that was asked for. */
    public Transport transport() {
        return transport;
    }
}
