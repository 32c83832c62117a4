package io.netserve.samples.kv;

import io.netserve.test.ProtocolTester;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.netserve.samples.kv.KvFrames.concat;
import static io.netserve.samples.kv.KvFrames.frame;
import static io.netserve.samples.kv.KvFrames.request;
import static io.netserve.samples.kv.KvFrames.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvProtocolTest {

    private final KvProtocol kv = new KvProtocol(new KvStore(), 64);

    @Test
    void setThenGetThenDel() {
        try (ProtocolTester tester = ProtocolTester.of(kv)) {
            tester.writeBytes(frame(request('S', "color", "blue")));
            assertThat(tester.readBytes()).isEqualTo(response(0, ""));
            tester.writeBytes(frame(request('G', "color", "")));
            assertThat(tester.readBytes()).isEqualTo(response(0, "blue"));
            tester.writeBytes(frame(request('D', "color", "")));
            assertThat(tester.readBytes()).isEqualTo(response(0, ""));
            tester.writeBytes(frame(request('G', "color", "")));
            assertThat(tester.readBytes()).isEqualTo(response(1, ""));
            tester.writeBytes(frame(request('D', "color", "")));
            assertThat(tester.readBytes()).isEqualTo(response(1, ""));
        }
    }

    @Test
    void aFullStoreAnswersFull() {
        KvProtocol one = new KvProtocol(new KvStore(1), 64);
        try (ProtocolTester tester = ProtocolTester.of(one)) {
            tester.writeBytes(concat(frame(request('S', "a", "1")), frame(request('S', "b", "2"))));
            assertThat(tester.readBytes()).isEqualTo(concat(response(0, ""), response(2, "")));
        }
    }

    @Test
    void framesSplitAndPipelinedAreAnsweredInOrder() {
        byte[] two = concat(frame(request('S', "k", "v")), frame(request('G', "k", "")));
        try (ProtocolTester tester = ProtocolTester.of(kv)) {
            tester.writeBytes(Arrays.copyOfRange(two, 0, 3));
            assertThat(tester.readBytes()).isEmpty();
            tester.writeBytes(Arrays.copyOfRange(two, 3, two.length));
            assertThat(tester.readBytes()).isEqualTo(concat(response(0, ""), response(0, "v")));
        }
    }

    @Test
    void aFrameAtTheMaximumIsServed() {
        String value = "v".repeat(64 - 3 - 1);
        try (ProtocolTester tester = ProtocolTester.of(kv)) {
            tester.writeBytes(frame(request('S', "k", value)));
            assertThat(tester.readBytes()).isEqualTo(response(0, ""));
            tester.writeBytes(frame(request('G', "k", "")));
            assertThat(tester.readBytes()).isEqualTo(response(0, value));
        }
    }

    @Test
    void anOversizeFrameClosesTheConnectionOnItsLengthField() {
        try (ProtocolTester tester = ProtocolTester.of(kv)) {
            tester.writeBytes(KvFrames.lengthField(65));
            assertThat(tester.isOpen()).isFalse();
            assertThat(tester.readBytes()).isEmpty();
        }
    }

    @Test
    void aNegativeLengthClosesTheConnection() {
        try (ProtocolTester tester = ProtocolTester.of(kv)) {
            tester.writeBytes(KvFrames.lengthField(-1));
            assertThat(tester.isOpen()).isFalse();
        }
    }

    @Test
    void aMalformedPayloadClosesTheConnectionAfterAnsweringWhatCameBefore() {
        try (ProtocolTester tester = ProtocolTester.of(kv)) {
            tester.writeBytes(concat(frame(request('S', "k", "v")), frame(request('?', "k", ""))));
            assertThat(tester.isOpen()).isFalse();
            assertThat(kv.store().get("k")).isPresent();
        }
    }

    @Test
    void anEndMidFrameReleasesThePartialFrame() {
        ProtocolTester tester = ProtocolTester.of(kv);
        tester.writeBytes(Arrays.copyOf(frame(request('S', "k", "value")), 7));
        tester.close();
        assertThat(kv.store().size()).isZero();
    }

    @Test
    void theMaximumFrameIsChecked() {
        assertThatThrownBy(() -> new KvProtocol(new KvStore(), 15)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFrame must be between 16 and 16777216, was 15");
    }
}
