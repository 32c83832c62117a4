/**
 * TCP: the server ({@link io.netserve.core.tcp.TcpServer}), which serves a protocol behind core's
 * standard pipeline of limits, idle handling, backpressure and stall timeouts; the client
 * ({@link io.netserve.core.tcp.TcpClient}), which connects to a server behind the client's side of
 * that pipeline; and {@link io.netserve.core.tcp.RequestClient}, which matches the replies of a
 * request/response protocol to their requests.
 */
package io.netserve.core.tcp;
