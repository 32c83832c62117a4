package io.netserve.samples.kv;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Answers each {@link KvRequest} from the {@link KvStore}, in order; flushes once per read batch,
 * so pipelined requests cost one write.
 *
 * <pre>{@code
 * pipeline.addLast("kv", new KvHandler(store));
 * }</pre>
 *
 * <p>Consumes requests. {@link Sharable}: the store is thread-safe.
 */
@Sharable
final class KvHandler extends SimpleChannelInboundHandler<KvRequest> {

    private final KvStore store;

    KvHandler(KvStore store) {
        this.store = store;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, KvRequest request) {
        ctx.write(store.apply(request), ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }
}
