/**
 * The sample clients on core's client API: their shared command-line options
 * ({@link io.netserve.samples.client.ClientOptions}, {@link io.netserve.samples.client.TlsClientOptions}),
 * {@code tcp-client} ({@link io.netserve.samples.client.TcpClientCommand}), a line client for any
 * line-based server, and {@code udp-client} ({@link io.netserve.samples.client.UdpClientCommand}).
 */
package io.netserve.samples.client;
