/**
 * Not API: the plumbing behind the TCP and UDP clients: their pipelines, connecting to each of a
 * host's addresses in turn, reconnecting with backoff, and the request/response matching of
 * {@code RequestClient} and {@code UdpClient}.
 */
package io.netserve.core.internal.client;
