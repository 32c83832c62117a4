/**
 * Command-line support for runnable services, on picocli (an optional dependency of core): the
 * shared options, value converters, {@code --version} with transport availability, and the
 * launcher that maps outcomes onto the exit statuses of the contract.
 */
package io.netserve.core.cli;
