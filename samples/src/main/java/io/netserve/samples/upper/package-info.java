/**
 * The smallest sample protocol, walked through in the README's "Write your own protocol":
 * {@link io.netserve.samples.upper.UpperProtocol} answers each line in upper case.
 */
package io.netserve.samples.upper;
