/** Not API: the handlers of the standard TCP pipeline and their initializer. */
package io.netserve.core.internal.tcp;
