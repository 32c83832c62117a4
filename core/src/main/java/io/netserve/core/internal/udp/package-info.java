/** Not API: the handlers of the standard datagram pipeline, its guards and how datagrams are read. */
package io.netserve.core.internal.udp;
