/**
 * UDP: the server ({@link io.netserve.core.udp.UdpServer}), which guards its datagram channels
 * against reflection and amplification abuse, the base of protocols that keep state per peer
 * ({@link io.netserve.core.udp.SessionDatagramHandler}), and the client
 * ({@link io.netserve.core.udp.UdpClient}), which sends requests and waits for their replies,
 * sending again when one does not come.
 */
package io.netserve.core.udp;
