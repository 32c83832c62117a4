package io.netserve.samples.kv;

import io.netserve.core.Protocol;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

import java.util.Objects;

/**
 * A length-prefixed binary protocol: an in-memory key-value store answering GET, SET and DEL (the
 * wire format is in {@link KvWire}). A frame longer than the maximum, or malformed, closes that
 * connection with one logged line saying why; the server and its other connections go on.
 *
 * <pre>{@code
 * TcpServer server = TcpServer.start(config, new KvProtocol(new KvStore(), KvProtocol.DEFAULT_MAX_FRAME));
 *
 * pipeline: LengthFieldBasedFrameDecoder -> LengthFieldPrepender -> KvServerCodec -> KvHandler
 * }</pre>
 */
public final class KvProtocol implements Protocol {

    /** Default longest frame payload, in bytes: 64 KiB. */
    public static final int DEFAULT_MAX_FRAME = 64 * 1024;

    /** Shortest maximum frame allowed: a request header and a few bytes of key and value. */
    public static final int MIN_MAX_FRAME = 16;

    /** Longest maximum frame allowed: 16 MiB. */
    public static final int MAX_MAX_FRAME = 16 << 20;

    private static final int LENGTH_FIELD = 4;

    private final KvHandler handler;
    private final KvStore store;
    private final int maxFrame;

    /**
     * A protocol serving {@code store}, refusing frames whose payload is longer than
     * {@code maxFrame} bytes ({@value #MIN_MAX_FRAME} to 16 MiB).
     */
    public KvProtocol(KvStore store, int maxFrame) {
        this.store = Objects.requireNonNull(store, "store");
        if (maxFrame < MIN_MAX_FRAME || maxFrame > MAX_MAX_FRAME) {
            throw new IllegalArgumentException("maxFrame must be between " + MIN_MAX_FRAME + " and " + MAX_MAX_FRAME
                    + ", was " + maxFrame);
        }
        this.maxFrame = maxFrame;
        this.handler = new KvHandler(store);
    }

    /** The store this protocol serves. */
    public KvStore store() {
        return store;
    }

    /** The longest frame payload accepted, in bytes. */
    public int maxFrame() {
        return maxFrame;
    }

    @Override
    public void configure(ChannelPipeline pipeline) {
        // The decoder's maximum counts the length field too; failFast refuses an oversize frame on its header.
        pipeline.addLast("frameDecoder", new LengthFieldBasedFrameDecoder(maxFrame + LENGTH_FIELD, 0, LENGTH_FIELD,
                        0, LENGTH_FIELD, true))
                .addLast("framePrepender", new LengthFieldPrepender(LENGTH_FIELD))
                .addLast("codec", KvServerCodec.INSTANCE)
                .addLast("kv", handler);
    }
}
