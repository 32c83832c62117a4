/**
 * UDP: the server ({@link io.netserve.core.udp.UdpServer}), which guards its datagram channels
 * against reflection and amplification abuse, and the base of protocols that keep state per peer
 * ({@link io.netserve.core.udp.SessionDatagramHandler}).
 */
package io.netserve.core.udp;
