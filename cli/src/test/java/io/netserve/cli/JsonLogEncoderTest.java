package io.netserve.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLogEncoderTest {

    private final LoggerContext context = new LoggerContext();
    private final Encoder<ILoggingEvent> encoder = JsonLogEncoder.create(context);

    @AfterEach
    void stop() {
        encoder.stop();
        context.stop();
    }

    @Test
    void oneObjectALineWithTheContractsFieldsAndTheKeyValuePairsAtTopLevel() throws Exception {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50412);
        LoggingEvent event = event(Level.INFO, "closing idle connection {}: no read within the idle timeout", peer);
        event.addKeyValuePair(new KeyValuePair("remote", peer));
        event.addKeyValuePair(new KeyValuePair("channel", "1a2b3c4d"));

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(OffsetDateTime.parse(json.get("timestamp").asText()).toInstant().toEpochMilli())
                .isEqualTo(event.getTimeStamp());
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("io.netserve.core.idle");
        assertThat(json.get("message").asText())
                .isEqualTo("closing idle connection /127.0.0.1:50412: no read within the idle timeout");
        assertThat(json.get("remote").asText()).isEqualTo("127.0.0.1:50412");
        assertThat(json.get("channel").asText()).isEqualTo("1a2b3c4d");
        assertThat(json.has("stack_trace")).isFalse();
    }

    @Test
    void anIpv6PeerIsBracketed() throws Exception {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("::1"), 443);
        LoggingEvent event = event(Level.WARN, "malformed input from {}", peer);
        event.addKeyValuePair(new KeyValuePair("remote", peer));

        JsonNode json = new ObjectMapper().readTree(encoder.encode(event));

        assertThat(json.get("remote").asText()).isEqualTo("[0:0:0:0:0:0:0:1]:443");
        assertThat(json.get("level").asText()).isEqualTo("WARN");
    }

    @Test
    void aStackTraceIsOneField() throws Exception {
        LoggingEvent event = new LoggingEvent(Logger.FQCN, context.getLogger("io.netserve.core.input"), Level.WARN,
                "unhandled", new IllegalStateException("bug"), null);

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line.strip()).doesNotContain("\n");
        assertThat(new ObjectMapper().readTree(line).get("stack_trace").asText())
                .startsWith("java.lang.IllegalStateException: bug");
    }

    private LoggingEvent event(Level level, String format, Object arg) {
        return new LoggingEvent(Logger.FQCN, context.getLogger("io.netserve.core.idle"), level, format, null,
                new Object[] {arg});
    }
}
