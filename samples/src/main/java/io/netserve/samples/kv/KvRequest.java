package io.netserve.samples.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * One request to the key-value store.
 *
 * @param op    what to do
 * @param key   the key, non-empty, at most {@link KvWire#MAX_KEY_BYTES} bytes of UTF-8
 * @param value the value for {@link Op#SET}; empty for the others
 */
public record KvRequest(Op op, String key, byte[] value) {

    private static final byte[] NONE = new byte[0];

    /** The operations, with their byte on the wire. */
    public enum Op {
        /** Read a key's value. */
        GET('G'),
        /** Create or replace a key's value. */
        SET('S'),
        /** Remove a key. */
        DEL('D');

        final byte code;

        Op(char code) {
            this.code = (byte) code;
        }
    }

    /** Checks the fields; see the parameters. */
    public KvRequest {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (op != Op.SET && value.length > 0) {
            throw new IllegalArgumentException(op + " takes no value");
        }
    }

    /** A GET of {@code key}. */
    public static KvRequest get(String key) {
        return new KvRequest(Op.GET, key, NONE);
    }

    /** A SET of {@code key} to {@code value}. */
    public static KvRequest set(String key, byte[] value) {
        return new KvRequest(Op.SET, key, value);
    }

    /** A DEL of {@code key}. */
    public static KvRequest del(String key) {
        return new KvRequest(Op.DEL, key, NONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvRequest r && op == r.op && key.equals(r.key) && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, key) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return op + " " + key + (op == Op.SET ? " (" + value.length + " bytes)" : "");
    }
}
