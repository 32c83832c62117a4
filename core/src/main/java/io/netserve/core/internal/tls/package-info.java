/**
 * TLS machinery of netserve core: internal, not API. Types here may change or go in any release;
 * services configure TLS through core's public configuration, not through these classes.
 *
 * <p>{@link io.netserve.core.internal.tls.TlsLayer} is what a TCP server uses: the TLS its
 * configuration asks for, and the handlers it puts first in each connection's pipeline.
 * {@link io.netserve.core.internal.tls.ServerTls} loads a PEM certificate chain and key, hands
 * out the handler at the head of each new connection's pipeline, and rotates the certificate
 * when its files change; {@link io.netserve.core.internal.tls.TlsHandshakeHandler} sits right
 * after it and counts, logs and closes failed handshakes;
 * {@link io.netserve.core.internal.tls.ClientTls} is the client side;
 * {@link io.netserve.core.internal.tls.TlsProviders} chooses between OpenSSL and the JDK and
 * reports which one loads. PEM files are read by the JDK, except the traditional OpenSSL key
 * forms, which {@code TraditionalKeys} reads with Bouncy Castle. A file that cannot be used is a
 * {@link io.netserve.core.internal.tls.TlsFileException} naming the file and the reason.
 */
package io.netserve.core.internal.tls;
