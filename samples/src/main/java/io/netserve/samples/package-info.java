/**
 * netserve samples: the framework in use. {@link io.netserve.samples.Main} is {@code samples.jar}'s
 * entry point; each sample lives in its own package ({@code upper}, {@code chat}, {@code kv},
 * {@code counter}, {@code client}, {@code embed}).
 */
package io.netserve.samples;
