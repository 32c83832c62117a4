package com.example.shout;

import io.netserve.core.Protocol;
import io.netserve.test.ProtocolTester;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShoutProtocolTest {

    @Test
    void shouts() {
        try (ProtocolTester tester = ProtocolTester.of(new ShoutProtocol())) {
            tester.writeLine("hello");
            assertEquals(List.of("HELLO!"), tester.readLines());
        }
    }

    @Test
    void anOverLongLineClosesTheConnection() {
        try (ProtocolTester tester = ProtocolTester.of(new ShoutProtocol())) {
            tester.writeString("x".repeat(300));
            assertFalse(tester.isOpen());
        }
    }

    /** With slf4j-simple, no paranoid property and the user's own junit-platform.properties, a leak still fails. */
    @Test
    void aLeakIsCaughtWhateverTheLoggingAndSettings() {
        Protocol leaking = p -> p.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // keeps the buffer and never releases it: the bug under test
            }
        });
        ProtocolTester tester = ProtocolTester.of(leaking);
        tester.writeLine("lost");

        AssertionError leak = assertThrows(AssertionError.class, tester::close);
        assertTrue(leak.getMessage().contains("leak"), leak.getMessage());
    }
}
