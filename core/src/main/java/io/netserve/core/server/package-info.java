/**
 * What TCP and UDP servers have in common for the service that embeds them: the running server's
 * handle ({@link io.netserve.core.server.ServerHandle}) and its start failures
 * ({@link io.netserve.core.server.ServerStartException},
 * {@link io.netserve.core.server.BindFailedException}). The servers themselves are
 * {@code io.netserve.core.tcp.TcpServer} and {@code io.netserve.core.udp.UdpServer}.
 */
package io.netserve.core.server;
