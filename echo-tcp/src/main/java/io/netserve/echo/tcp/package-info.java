/** The TCP echo service: {@link io.netserve.echo.tcp.EchoHandler} and the {@code echo-tcp} command. */
package io.netserve.echo.tcp;
