/**
 * Internal: the admin HTTP endpoint ({@link io.netserve.core.internal.admin.AdminServer}: health
 * probes and the Prometheus scrape) and the binding of a server's counters, the JVM's and Netty's
 * meters to a Micrometer registry ({@link io.netserve.core.internal.admin.ServerMeters}).
 *
 * <p>Not API: core's servers and command line use these classes; embedders configure an admin
 * port or pass a {@code MeterRegistry} instead, and nothing here is promised to stay.
 */
package io.netserve.core.internal.admin;
