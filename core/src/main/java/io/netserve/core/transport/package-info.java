/**
 * The choice of I/O transport (NIO, epoll, io_uring) and its fallback, see
 * {@link io.netserve.core.transport.Transport}.
 */
package io.netserve.core.transport;
