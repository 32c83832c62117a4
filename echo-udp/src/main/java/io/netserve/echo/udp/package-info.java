/** The UDP echo service: {@link io.netserve.echo.udp.EchoHandler} and the {@code echo-udp} command. */
package io.netserve.echo.udp;
