package io.netserve.samples.kv;

import io.netserve.core.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.TooLongFrameException;

import java.nio.ByteOrder;
import java.util.List;

/**
 * The client's side of {@link KvServerCodec}: {@link KvRequest}s to frame payloads, payloads to
 * {@link KvResponse}s, as {@link KvWire} says, after the same length-field framing.
 *
 * <pre>{@code
 * RequestClient.connect(config, KvClientCodec.protocol(KvProtocol.DEFAULT_MAX_FRAME), KvResponse.class);
 *
 * pipeline: frame decoder (refuses frames over maxFrame) -> LengthFieldPrepender -> KvClientCodec
 * }</pre>
 *
 * <p>A malformed response raises a {@code CorruptedFrameException}, a frame over the maximum a
 * {@link TooLongFrameException} on its header: the client fails what is pending and closes. Not
 * sharable: {@link #protocol} makes one per connection.
 */
final class KvClientCodec extends MessageToMessageCodec<ByteBuf, KvRequest> {

    private static final int LENGTH_FIELD = 4;

    private KvClientCodec() {
    }

    /** The client's protocol: framing of payloads up to {@code maxFrame} bytes, and this codec. */
    static Protocol protocol(int maxFrame) {
        return pipeline -> pipeline.addLast(new MaxFrameDecoder(maxFrame), new LengthFieldPrepender(LENGTH_FIELD),
                new KvClientCodec());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, KvRequest request, List<Object> out) {
        ByteBuf payload = ctx.alloc().buffer(KvWire.requestSize(request));
        KvWire.encodeRequest(request, payload);
        out.add(payload);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf payload, List<Object> out) {
        out.add(KvWire.decodeResponse(payload));
    }

    /** Length-field framing that refuses a payload over the maximum on its header, saying how long it was. */
    private static final class MaxFrameDecoder extends LengthFieldBasedFrameDecoder {
        private final int maxFrame;

        MaxFrameDecoder(int maxFrame) {
            super(Integer.MAX_VALUE, 0, LENGTH_FIELD, 0, LENGTH_FIELD);
            this.maxFrame = maxFrame;
        }

        @Override
        protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
            long payload = super.getUnadjustedFrameLength(buf, offset, length, order);
            if (payload > maxFrame) {
                throw new TooLongFrameException("sent a frame of " + payload + " bytes, more than the maximum of "
                        + maxFrame);
            }
            return payload;
        }
    }
}
