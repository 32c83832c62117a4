/**
 * Running servers: {@link io.netserve.core.server.TcpServer}, {@link io.netserve.core.server.UdpServer}
 * and the handle services embed, {@link io.netserve.core.server.ServerHandle}, with their start
 * failures and graceful close.
 */
package io.netserve.core.server;
