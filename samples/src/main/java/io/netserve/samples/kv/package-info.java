/**
 * A length-prefixed binary protocol built on core's handlers: an in-memory key-value store
 * ({@link io.netserve.samples.kv.KvProtocol}, wire format in {@link io.netserve.samples.kv.KvWire})
 * with Netty's {@code LengthFieldBasedFrameDecoder} and {@code LengthFieldPrepender}, a maximum
 * frame length, and its blocking client ({@link io.netserve.samples.kv.KvClient},
 * {@code kv-client}).
 */
package io.netserve.samples.kv;
