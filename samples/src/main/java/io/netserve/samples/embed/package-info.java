/**
 * Embedding netserve in an application: {@link io.netserve.samples.embed.KvService} owns its servers
 * in its own start/stop lifecycle; {@code embed} ({@link io.netserve.samples.embed.EmbedCommand})
 * runs it.
 */
package io.netserve.samples.embed;
