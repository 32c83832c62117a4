/**
 * TCP: the server ({@link io.netserve.core.tcp.TcpServer}), which serves a protocol behind core's
 * standard pipeline of limits, idle handling, backpressure and stall timeouts.
 */
package io.netserve.core.tcp;
