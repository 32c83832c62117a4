/**
 * Immutable configuration of servers ({@link io.netserve.core.config.ServerConfig}) and clients
 * ({@link io.netserve.core.config.ClientConfig}), and the duration format shared by
 * configuration and command lines.
 */
package io.netserve.core.config;
