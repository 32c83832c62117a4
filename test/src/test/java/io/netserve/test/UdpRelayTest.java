package io.netserve.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UdpRelayTest {

    private static final int DATAGRAMS = 200;

    @RegisterExtension
    final UdpServerExtension server = UdpServerExtension.of(UdpServerExtensionTest.ECHO);

    @Test
    void withoutFaultsEveryDatagramGoesThereAndBack() {
        try (UdpRelay relay = UdpRelay.to(server.address()).start()) {
            UdpTestClient client = server.newClient();

            for (int i = 0; i < 20; i++) {
                assertThat(client.exchange("n" + i, relay.address())).isEqualTo("n" + i);
            }
            assertThat(relay.forwarded()).isEqualTo(40);
            assertThat(relay.dropped()).isZero();
        }
    }

    @Test
    void dropsTheSameShareOfDatagramsForTheSameSeed() {
        assertThat(lostWithSeed(42)).isEqualTo(lostWithSeed(42)).isBetween(DATAGRAMS / 10, DATAGRAMS * 3 / 10);
    }

    @Test
    void duplicatesDelaysAndReordersTheirShares() {
        try (UdpRelay relay = UdpRelay.to(server.address()).towardsServerOnly().duplicate(0.2)
                .delay(Duration.ofMillis(20), 0.2).reorder(0.2).seed(7).start()) {
            UdpTestClient client = server.newClient();
            for (int i = 0; i < DATAGRAMS; i++) {
                client.send(("d" + i).getBytes(StandardCharsets.UTF_8), relay.address());
            }
            int n = countReplies(client, () -> DATAGRAMS + (int) relay.duplicated());

            assertThat(n).as("each datagram, and the duplicates").isEqualTo(DATAGRAMS + (int) relay.duplicated());
            assertThat(relay.duplicated()).isPositive();
            assertThat(relay.delayed()).isPositive();
            assertThat(relay.reordered()).isPositive();
        }
    }

    @Test
    void refusesSharesThatDoNotAddUp() {
        assertThatIllegalArgumentException().isThrownBy(() -> UdpRelay.to(server.address()).drop(0.7).duplicate(0.5).start());
        assertThatIllegalArgumentException().isThrownBy(() -> UdpRelay.to(server.address()).drop(1.5));
    }

    /** Sends {@link #DATAGRAMS} datagrams through a relay losing 20 % of them; returns how many got no reply. */
    private int lostWithSeed(long seed) {
        try (UdpRelay relay = UdpRelay.to(server.address()).towardsServerOnly().drop(0.2).seed(seed).start();
             UdpTestClient client = UdpTestClient.bind("127.0.0.1")) {
            for (int i = 0; i < DATAGRAMS; i++) {
                client.send(("m" + i).getBytes(StandardCharsets.UTF_8), relay.address());
            }
            int lost = DATAGRAMS - countReplies(client, () -> DATAGRAMS - (int) relay.dropped());
            assertThat(lost).isEqualTo((int) relay.dropped());
            return lost;
        }
    }

    /**
     * Counts replies until as many as {@code expected} came (the relay's counts settle as it goes), or
     * 10 s passed: a busy machine may be slow to answer the first ones.
     */
    private static int countReplies(UdpTestClient client, IntSupplier expected) {
        int replies = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (replies < expected.getAsInt() && System.nanoTime() < deadline) {
            replies += client.countUntilSilent(Duration.ofMillis(200));
        }
        return replies;
    }
}
