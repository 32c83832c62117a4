/**
 * Sample clients' shared command-line options and connecting ({@link io.netserve.samples.client.ClientOptions}),
 * and {@code tcp-client} ({@link io.netserve.samples.client.TcpClientCommand}), a line client for any
 * line-based server.
 */
package io.netserve.samples.client;
