package io.netserve.samples.kv;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Raw frames for tests, written byte by byte (not with KvWire), so the tests check the format itself. */
final class KvFrames {

    private KvFrames() {
    }

    /** A frame: 4-byte big-endian length, then {@code payload}. */
    static byte[] frame(byte[] payload) {
        return concat(lengthField(payload.length), payload);
    }

    static byte[] lengthField(int length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    /** A request payload: op, 2-byte key length, key, value. */
    static byte[] request(char op, String key, String value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(out)) {
            data.writeByte(op);
            data.writeShort(k.length);
            data.write(k);
            data.write(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A response frame: status byte, then value. */
    static byte[] response(int status, String value) {
        return frame(concat(new byte[] {(byte) status}, value.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
