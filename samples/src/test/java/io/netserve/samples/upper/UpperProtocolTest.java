package io.netserve.samples.upper;

import io.netserve.test.ProtocolTester;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UpperProtocolTest {

    @Test
    void answersEachLineInUpperCase() {
        try (ProtocolTester tester = ProtocolTester.of(new UpperProtocol())) {
            tester.writeLine("hello").writeString("Straße\r\nmi").writeString("xed\n");
            assertThat(tester.readLines()).containsExactly("HELLO", "STRASSE", "MIXED");
        }
    }

    @Test
    void aLineAtTheLimitIsAnswered() {
        try (ProtocolTester tester = ProtocolTester.of(new UpperProtocol())) {
            tester.writeLine("a".repeat(UpperProtocol.MAX_LINE));
            assertThat(tester.readLines()).containsExactly("A".repeat(UpperProtocol.MAX_LINE));
            assertThat(tester.isOpen()).isTrue();
        }
    }

    @Test
    void anOverLongLineClosesTheConnectionAsSoonAsItPassesTheLimit() {
        try (ProtocolTester tester = ProtocolTester.of(new UpperProtocol())) {
            tester.writeString("a".repeat(UpperProtocol.MAX_LINE + 1));
            assertThat(tester.isOpen()).isFalse();
            assertThat(tester.readBytes()).isEmpty();
        }
    }
}
