/**
 * UDP support: how datagrams are read ({@link io.netserve.core.udp.DatagramReads}: whole, batched
 * on the native transports), the standard datagram pipeline
 * ({@link io.netserve.core.udp.UdpChannelInitializer}) and its guards against reflection and
 * amplification abuse: {@link io.netserve.core.udp.OversizeDatagramGuard},
 * {@link io.netserve.core.udp.SourcePortGuard}, {@link io.netserve.core.udp.SourceRateLimiter}, and
 * the tail that logs a protocol's exceptions without ever closing the server's socket
 * ({@link io.netserve.core.udp.DatagramExceptionHandler}); and, for protocols that keep state per
 * peer, bounded sessions per remote address that expire when idle
 * ({@link io.netserve.core.udp.SessionDatagramHandler}).
 */
package io.netserve.core.udp;
