/**
 * How a connection's pipeline is put together: the user's {@link io.netserve.core.pipeline.Protocol},
 * the standard TCP pipeline ({@link io.netserve.core.pipeline.TcpChannelInitializer}) and its
 * exception tail.
 */
package io.netserve.core.pipeline;
