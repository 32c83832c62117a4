/**
 * The command line of runnable netserve services, on picocli and Logback: the shared options as
 * mixins and their defaults, value converters, console logging, {@code --version} with transport
 * availability, and the launcher that maps outcomes onto the exit statuses every netserve jar
 * promises.
 */
package io.netserve.cli;
