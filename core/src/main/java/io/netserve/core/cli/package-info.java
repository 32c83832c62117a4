/**
 * Command-line support for runnable services, on picocli and Logback (optional dependencies of
 * core): the shared options, value converters, console logging, {@code --version} with transport
 * availability, and the launcher that maps outcomes onto the exit statuses of the contract.
 */
package io.netserve.core.cli;
