/**
 * A test kit for protocols built on netserve, published in core's test jar
 * ({@code <type>test-jar</type>}): {@link io.netserve.core.testing.ProtocolTester} drives a
 * protocol in an {@code EmbeddedChannel} behind core's real pipeline;
 * {@link io.netserve.core.testing.ServerExtension} runs it on a loopback server for a JUnit 5 test
 * and hands out {@link io.netserve.core.testing.TestClient}s, which can also play the bad peer;
 * {@link io.netserve.core.testing.UdpTestClient} is the datagram client for UDP servers;
 * {@link io.netserve.core.testing.LeakFailureExtension}, registered for every test, fails a test
 * whose buffers leak.
 */
package io.netserve.core.testing;
