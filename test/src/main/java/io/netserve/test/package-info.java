/**
 * The test kit for protocols and services built on netserve ({@code netserve-test}, test scope).
 *
 * <ul>
 *   <li>Without a socket: {@link io.netserve.test.ProtocolTester} (TCP) and
 *       {@link io.netserve.test.DatagramProtocolTester} (UDP) run a protocol in an
 *       {@code EmbeddedChannel} behind core's real pipeline, with the channel's own clock.</li>
 *   <li>Over loopback: {@link io.netserve.test.ServerExtension} and
 *       {@link io.netserve.test.UdpServerExtension} run a real server for a JUnit 5 class or test
 *       and hand out {@link io.netserve.test.TestClient}s and {@link io.netserve.test.UdpTestClient}s,
 *       with timeouts on everything.</li>
 *   <li>Bad peers and bad networks: {@link io.netserve.test.BadPeer} (stops reading, trickles,
 *       resets, half-closes) and {@link io.netserve.test.UdpRelay} (drops, duplicates, delays,
 *       reorders datagrams by a seeded rule).</li>
 *   <li>Leaks: {@link io.netserve.test.LeakFailureExtension} fails a test whose Netty buffers leak;
 *       the testers and extensions check on their own. Detection is turned to paranoid by the kit.</li>
 *   <li>Processes: {@link io.netserve.test.JarProcess} runs a service's jar as an operator would.</li>
 * </ul>
 *
 * <p>The kit registers nothing by itself: no {@code junit-platform.properties}, no logging
 * configuration, no timeouts. Register its extensions with {@code @RegisterExtension} or
 * {@code @ExtendWith}.
 */
package io.netserve.test;
