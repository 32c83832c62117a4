package io.netserve.samples.chat;

import io.netserve.core.config.ServerConfig;
import io.netserve.test.ProtocolTester;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatHandlerTest {

    private static final Duration IDLE = Duration.ofMinutes(5);
    /** Past the timeout whichever tick sees it: idle detection checks every quarter of the timeout. */
    private static final Duration PAST_IDLE = IDLE.plus(IDLE.dividedBy(4)).plusSeconds(1);

    private final ChatProtocol chat = new ChatProtocol(new ChatRoom(), 64, IDLE);
    private final List<ProtocolTester> members = new ArrayList<>();

    @AfterEach
    void closeMembers() {
        members.forEach(ProtocolTester::close);
    }

    private ProtocolTester member() {
        ProtocolTester tester = ProtocolTester.of(chat, chat.applyTo(ServerConfig.builder()).build());
        members.add(tester);
        return tester;
    }

    private ProtocolTester member(String nick) {
        ProtocolTester tester = member();
        tester.writeLine("/nick " + nick);
        assertThat(tester.readLines()).containsExactly("* you are " + nick);
        return tester;
    }

    @Test
    void aMessageGoesToEveryMemberAsNickAndText() {
        ProtocolTester ada = member("ada");
        ProtocolTester bob = member("bob");
        assertThat(ada.readLines()).containsExactly("* bob joined");

        bob.writeLine("hello, all");
        assertThat(ada.readLines()).containsExactly("<bob> hello, all");
        assertThat(bob.readLines()).containsExactly("<bob> hello, all");
    }

    @Test
    void aMemberWithoutANickIsAskedForOneAndHearsNothing() {
        ProtocolTester ada = member("ada");
        ProtocolTester anonymous = member();
        anonymous.writeLine("hi?");
        assertThat(anonymous.readLines()).containsExactly("! choose a nick first: /nick NAME");

        ada.writeLine("anyone?");
        assertThat(anonymous.readLines()).isEmpty();
        assertThat(chat.room().nicks()).containsExactly("ada");
    }

    @Test
    void nicksAreCheckedAndUniqueIgnoringCase() {
        member("ada");
        ProtocolTester other = member();
        other.writeLine("/nick").writeLine("/nick no spaces").writeLine("/nick " + "x".repeat(17)).writeLine("/nick ADA");
        assertThat(other.readLines()).containsExactly(
                "! a nick is 1 to 16 letters, digits, '-' or '_'",
                "! a nick is 1 to 16 letters, digits, '-' or '_'",
                "! a nick is 1 to 16 letters, digits, '-' or '_'",
                "! nick ADA is taken");
    }

    @Test
    void renamingTellsTheOthersAndFreesTheOldNick() {
        ProtocolTester ada = member("ada");
        ProtocolTester bob = member("bob");
        ada.readLines();
        bob.writeLine("/nick robert");
        assertThat(bob.readLines()).containsExactly("* you are robert");
        assertThat(ada.readLines()).containsExactly("* bob is now robert");
        assertThat(chat.room().nicks()).containsExactly("ada", "robert");

        member("bob");
        assertThat(bob.readLines()).containsExactly("* bob joined");
        bob.writeLine("/nick Robert");
        assertThat(bob.readLines()).containsExactly("* you are Robert");
        assertThat(chat.room().nicks()).containsExactly("ada", "bob", "Robert");
    }

    @Test
    void whoListsTheMembers() {
        member("zed");
        ProtocolTester ada = member("ada");
        ada.writeLine("/who");
        assertThat(ada.readLines()).containsExactly("* online: ada, zed");
    }

    @Test
    void quitSaysByeClosesAndTellsTheOthers() {
        ProtocolTester ada = member("ada");
        ProtocolTester bob = member("bob");
        ada.readLines();
        bob.writeLine("/quit");
        assertThat(bob.readLines()).containsExactly("* bye");
        assertThat(bob.isOpen()).isFalse();
        assertThat(ada.readLines()).containsExactly("* bob left");
        assertThat(chat.room().nicks()).containsExactly("ada");
    }

    @Test
    void anUnknownCommandIsAnError() {
        ProtocolTester ada = member("ada");
        ada.writeLine("/shout hi");
        assertThat(ada.readLines()).containsExactly("! unknown command /shout; try /nick NAME, /who, /quit");
        assertThat(ada.isOpen()).isTrue();
    }

    @Test
    void blankLinesAreIgnored() {
        ProtocolTester ada = member("ada");
        ada.writeLine("").writeLine("   ");
        assertThat(ada.readLines()).isEmpty();
    }

    @Test
    void anIdleMemberIsWarnedOnceThenClosedIfStillSilent() {
        ProtocolTester ada = member("ada");
        ProtocolTester bob = member("bob");
        ada.readLines();

        bob.advanceTimeBy(PAST_IDLE);
        assertThat(bob.readLines()).containsExactly("! idle for 300s: say something within 300s or be disconnected");
        assertThat(bob.isOpen()).isTrue();

        bob.advanceTimeBy(PAST_IDLE);
        assertThat(bob.readLines()).containsExactly("* disconnected: idle");
        assertThat(bob.isOpen()).isFalse();
        assertThat(ada.readLines()).containsExactly("* bob left");
    }

    @Test
    void speakingAfterTheWarningStartsTheIdleClockAfresh() {
        ProtocolTester ada = member("ada");
        ada.advanceTimeBy(PAST_IDLE);
        assertThat(ada.readLines()).hasSize(1).allMatch(l -> l.startsWith("! idle for 300s"));

        ada.writeLine("here");
        assertThat(ada.readLines()).containsExactly("<ada> here");
        ada.advanceTimeBy(PAST_IDLE);
        assertThat(ada.readLines()).as("a new first warning, not a close").hasSize(1)
                .allMatch(l -> l.startsWith("! idle for 300s"));
        assertThat(ada.isOpen()).isTrue();
    }

    @Test
    void idleEventsOtherThanReadingAreIgnored() {
        ProtocolTester ada = member("ada");
        ada.fireEvent(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        assertThat(ada.readLines()).isEmpty();
        assertThat(ada.isOpen()).isTrue();
    }

    @Test
    void anOverLongLineGetsAnErrorLineAndClosesOnlyThatMember() {
        ProtocolTester ada = member("ada");
        ProtocolTester bob = member("bob");
        ada.readLines();

        bob.writeString("x".repeat(65));
        assertThat(bob.readLines()).containsExactly("! line too long: at most 64 bytes; closing");
        assertThat(bob.isOpen()).isFalse();
        assertThat(ada.readLines()).containsExactly("* bob left");

        ada.writeLine("x".repeat(64));
        assertThat(ada.readLines()).containsExactly("<ada> " + "x".repeat(64));
    }

    @Test
    void theLineLimitIsChecked() {
        assertThatThrownBy(() -> new ChatProtocol(new ChatRoom(), 15, IDLE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLine must be between 16 and 65536, was 15");
    }
}
