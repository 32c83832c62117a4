/**
 * Not API: the plumbing behind netserve's public types (the standard pipelines' handlers, the
 * drain, the event logs, event loops and addresses). Nothing here is a promise; it changes without
 * notice. Only netserve's own modules, released together with core (its test kit), use it; the
 * architecture test fails any other module that does.
 */
package io.netserve.core.internal;
