package io.netserve.samples.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * The store's answer to one {@link KvRequest}.
 *
 * @param status how it went
 * @param value  the value read, for a GET that found its key; empty otherwise
 */
public record KvResponse(Status status, byte[] value) {

    private static final byte[] NONE = new byte[0];

    /** The outcomes, with their byte on the wire. */
    public enum Status {
        /** Done; a GET's value follows. */
        OK(0),
        /** The key does not exist (GET, DEL). */
        NOT_FOUND(1),
        /** A SET of a new key while the store holds its maximum number of keys. */
        FULL(2);

        final byte code;

        Status(int code) {
            this.code = (byte) code;
        }
    }

    /** Checks the fields; see the parameters. */
    public KvResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(value, "value");
    }

    /** A response without a value. */
    public static KvResponse of(Status status) {
        return new KvResponse(status, NONE);
    }

    /** An {@link Status#OK} carrying {@code value}. */
    public static KvResponse found(byte[] value) {
        return new KvResponse(Status.OK, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvResponse r && status == r.status && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return status.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return status + (value.length > 0 ? " (" + value.length + " bytes)" : "");
    }
}
