/** Admission limits: the cap on connections open at once. */
package io.netserve.core.limit;
