/**
 * Cheap counters of a server ({@link io.netserve.core.metrics.ServerMetrics}) and the handler
 * that counts traffic into them.
 */
package io.netserve.core.metrics;
