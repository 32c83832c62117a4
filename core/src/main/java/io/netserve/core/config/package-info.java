/**
 * Immutable server configuration ({@link io.netserve.core.config.ServerConfig}) and the duration
 * format shared by configuration and command lines.
 */
package io.netserve.core.config;
