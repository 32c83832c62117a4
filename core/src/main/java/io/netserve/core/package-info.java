/**
 * What TCP and UDP services share: the {@link io.netserve.core.Protocol} a service writes and the
 * {@link io.netserve.core.Transport} it runs on. The servers and clients are in
 * {@code io.netserve.core.tcp} and {@code io.netserve.core.udp}, their configuration in
 * {@code io.netserve.core.config}, the servers' handle and start failures in
 * {@code io.netserve.core.server}. Packages under {@code io.netserve.core.internal} are not API.
 */
package io.netserve.core;
