package io.netserve.samples.kv;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The key-value protocol's payloads, shared by the server's codec and the client. Each payload
 * travels in a frame of a 4-byte big-endian length and then that many bytes:
 *
 * <pre>
 *   request  = op:u8 ('G' GET, 'S' SET, 'D' DEL)  keyLength:u16  key:UTF-8  [value: the rest, SET only]
 *   response = status:u8 (0 OK, 1 NOT_FOUND, 2 FULL)  [value: the rest, a GET's OK only]
 * </pre>
 *
 * A payload that does not follow this is refused with a {@link CorruptedFrameException} saying why.
 */
public final class KvWire {

    /** The longest key, in bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 65_535;

    /** Bytes a request needs besides its key and value. */
    static final int REQUEST_OVERHEAD = 3;

    private KvWire() {
    }

    /** Writes {@code request}'s payload to {@code out}. */
    public static void encodeRequest(KvRequest request, ByteBuf out) {
        byte[] key = request.key().getBytes(StandardCharsets.UTF_8);
        if (key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a key is 1 to " + MAX_KEY_BYTES + " bytes, was " + key.length);
        }
        out.writeByte(request.op().code).writeShort(key.length).writeBytes(key).writeBytes(request.value());
    }

    /** The payload size of {@code request}. */
    public static int requestSize(KvRequest request) {
        return REQUEST_OVERHEAD + request.key().getBytes(StandardCharsets.UTF_8).length + request.value().length;
    }

    /**
     * Reads a request from a whole frame's payload.
     *
     * @throws CorruptedFrameException if the payload is not a well-formed request
     */
    public static KvRequest decodeRequest(ByteBuf payload) {
        if (payload.readableBytes() < REQUEST_OVERHEAD) {
            throw new CorruptedFrameException("request of " + payload.readableBytes() + " bytes, shorter than its "
                    + REQUEST_OVERHEAD + "-byte header");
        }
        byte code = payload.readByte();
        KvRequest.Op op = switch (code) {
            case 'G' -> KvRequest.Op.GET;
            case 'S' -> KvRequest.Op.SET;
            case 'D' -> KvRequest.Op.DEL;
            default -> throw new CorruptedFrameException(String.format("unknown operation 0x%02x", code & 0xff));
        };
        int keyLength = payload.readUnsignedShort();
        if (keyLength == 0 || keyLength > payload.readableBytes()) {
            throw new CorruptedFrameException("key length " + keyLength + " does not fit the "
                    + payload.readableBytes() + " bytes left in the frame");
        }
        String key = utf8(payload.readSlice(keyLength));
        byte[] value = new byte[payload.readableBytes()];
        if (op != KvRequest.Op.SET && value.length > 0) {
            throw new CorruptedFrameException(op + " followed by " + value.length + " unexpected bytes");
        }
        payload.readBytes(value);
        return new KvRequest(op, key, value);
    }

    /** Writes {@code response}'s payload to {@code out}. */
    public static void encodeResponse(KvResponse response, ByteBuf out) {
        out.writeByte(response.status().code).writeBytes(response.value());
    }

    /**
     * Reads a response from a whole frame's payload.
     *
     * @throws CorruptedFrameException if the payload is not a well-formed response
     */
    public static KvResponse decodeResponse(ByteBuf payload) {
        if (!payload.isReadable()) {
            throw new CorruptedFrameException("empty response");
        }
        byte code = payload.readByte();
        KvResponse.Status status = switch (code) {
            case 0 -> KvResponse.Status.OK;
            case 1 -> KvResponse.Status.NOT_FOUND;
            case 2 -> KvResponse.Status.FULL;
            default -> throw new CorruptedFrameException(String.format("unknown status 0x%02x", code & 0xff));
        };
        byte[] value = new byte[payload.readableBytes()];
        payload.readBytes(value);
        return new KvResponse(status, value);
    }

    private static String utf8(ByteBuf bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.nioBuffer()).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptedFrameException("key is not valid UTF-8");
        }
    }
}
