package io.netserve.samples.kv;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;

import java.util.List;

/**
 * Turns frame payloads into {@link KvRequest}s and {@link KvResponse}s into payloads, as
 * {@link KvWire} says, between the length-field framing and {@link KvHandler}.
 *
 * <pre>{@code
 * pipeline.addLast(new LengthFieldBasedFrameDecoder(...), new LengthFieldPrepender(4),
 *         KvServerCodec.INSTANCE, handler);
 * }</pre>
 *
 * <p>A malformed payload raises a {@code CorruptedFrameException}, which core's tail logs in one
 * line before closing that connection. {@link Sharable}: it keeps no state.
 */
@Sharable
final class KvServerCodec extends MessageToMessageCodec<ByteBuf, KvResponse> {

    static final KvServerCodec INSTANCE = new KvServerCodec();

    private KvServerCodec() {
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf payload, List<Object> out) {
        out.add(KvWire.decodeRequest(payload));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, KvResponse response, List<Object> out) {
        ByteBuf payload = ctx.alloc().buffer(1 + response.value().length);
        KvWire.encodeResponse(response, payload);
        out.add(payload);
    }
}
