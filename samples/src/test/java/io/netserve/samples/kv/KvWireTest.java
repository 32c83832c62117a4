package io.netserve.samples.kv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvWireTest {

    @Test
    void requestsEncodeToTheDocumentedBytes() {
        assertThat(encode(KvRequest.set("k", bytes("v1")))).isEqualTo(KvFrames.request('S', "k", "v1"));
        assertThat(encode(KvRequest.get("ключ"))).isEqualTo(KvFrames.request('G', "ключ", ""));
        assertThat(encode(KvRequest.del("k"))).isEqualTo(KvFrames.request('D', "k", ""));
        assertThat(KvWire.requestSize(KvRequest.set("k", bytes("v1")))).isEqualTo(6);
    }

    @Test
    void requestsDecodeFromTheirBytes() {
        assertThat(decodeRequest(KvFrames.request('S', "key", "a value"))).isEqualTo(KvRequest.set("key", bytes("a value")));
        assertThat(decodeRequest(KvFrames.request('G', "key", ""))).isEqualTo(KvRequest.get("key"));
        assertThat(decodeRequest(KvFrames.request('D', "key", ""))).isEqualTo(KvRequest.del("key"));
        assertThat(decodeRequest(KvFrames.request('S', "empty", ""))).isEqualTo(KvRequest.set("empty", new byte[0]));
    }

    @Test
    void malformedRequestsAreRefusedWithTheReason() {
        assertMalformed(new byte[] {'G', 0}, "request of 2 bytes, shorter than its 3-byte header");
        assertMalformed(KvFrames.request('X', "k", ""), "unknown operation 0x58");
        assertMalformed(new byte[] {'G', 0, 0}, "key length 0 does not fit the 0 bytes left in the frame");
        assertMalformed(new byte[] {'G', 0, 9, 'a'}, "key length 9 does not fit the 1 bytes left in the frame");
        assertMalformed(KvFrames.request('G', "k", "extra"), "GET followed by 5 unexpected bytes");
        assertMalformed(new byte[] {'G', 0, 2, (byte) 0xc3, (byte) 0x28}, "key is not valid UTF-8");
    }

    @Test
    void responsesRoundTrip() {
        for (KvResponse r : new KvResponse[] {KvResponse.found(bytes("v")), KvResponse.of(KvResponse.Status.OK),
                KvResponse.of(KvResponse.Status.NOT_FOUND), KvResponse.of(KvResponse.Status.FULL)}) {
            ByteBuf buf = Unpooled.buffer();
            try {
                KvWire.encodeResponse(r, buf);
                assertThat(KvWire.decodeResponse(buf)).isEqualTo(r);
            } finally {
                buf.release();
            }
        }
        assertThatThrownBy(() -> KvWire.decodeResponse(Unpooled.wrappedBuffer(new byte[] {7})))
                .isInstanceOf(CorruptedFrameException.class).hasMessage("unknown status 0x07");
        assertThatThrownBy(() -> KvWire.decodeResponse(Unpooled.EMPTY_BUFFER))
                .isInstanceOf(CorruptedFrameException.class).hasMessage("empty response");
    }

    @Test
    void aKeyMustBeOneTo65535Bytes() {
        assertThatThrownBy(() -> encode(KvRequest.get(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(KvRequest.get("k".repeat(65_536)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a key is 1 to 65535 bytes, was 65536");
        assertThatThrownBy(() -> new KvRequest(KvRequest.Op.GET, "k", bytes("v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("GET takes no value");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encode(KvRequest request) {
        ByteBuf buf = Unpooled.buffer();
        try {
            KvWire.encodeRequest(request, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static KvRequest decodeRequest(byte[] payload) {
        return KvWire.decodeRequest(Unpooled.wrappedBuffer(payload));
    }

    private static void assertMalformed(byte[] payload, String reason) {
        assertThatThrownBy(() -> decodeRequest(payload)).isInstanceOf(CorruptedFrameException.class).hasMessage(reason);
    }
}
