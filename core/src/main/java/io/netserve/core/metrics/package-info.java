/**
 * The counters of a running server ({@link io.netserve.core.metrics.ServerMetrics}), cheap enough
 * to update on every read, read from the server's handle.
 */
package io.netserve.core.metrics;
