package io.netserve.core.internal.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BufferBudgetTest {

    private static final long BUDGET = 64L << 20;
    private final BufferBudget budget = new BufferBudget(BUDGET, 32 * 1024, 64 * 1024);

    @Test
    void eachConnectionGetsTheConfiguredMarksWhileTheBudgetCoversThem() {
        open(512);   // 512 x (64 KiB owed + 64 KiB read) = 64 MiB

        assertThat(budget.waterMark().low()).isEqualTo(32 * 1024);
        assertThat(budget.waterMark().high()).isEqualTo(64 * 1024);
        assertThat(budget.maxRead()).isEqualTo(64 * 1024);
    }

    @Test
    void theSharesShrinkAsConnectionsOpenSoThatAllTogetherStayWithinTheBudget() {
        for (int connections : new int[] {513, 1_000, 5_000, 10_000}) {
            BufferBudget b = new BufferBudget(BUDGET, 32 * 1024, 64 * 1024);
            for (int i = 0; i < connections; i++) {
                b.opened();
            }
            WriteBufferWaterMark marks = b.waterMark();
            assertThat(marks.high()).as("%d connections", connections).isLessThan(64 * 1024);
            assertThat(marks.low()).isEqualTo(marks.high() / 2);
            assertThat((long) connections * (marks.high() + b.maxRead())).as("%d connections", connections)
                    .isLessThanOrEqualTo(BUDGET).isGreaterThan(BUDGET * 9 / 10);
        }
    }

    @Test
    void theSharesGrowBackAsConnectionsClose() {
        open(5_000);
        WriteBufferWaterMark crowded = budget.waterMark();

        for (int i = 0; i < 4_600; i++) {
            budget.closed();
        }

        assertThat(crowded.high()).isLessThan(8 * 1024);
        assertThat(budget.waterMark().high()).isEqualTo(64 * 1024);
        assertThat(budget.maxRead()).isEqualTo(64 * 1024);
    }

    @Test
    void marksChangeInStepsNotWithEveryConnection() {
        open(5_000);
        WriteBufferWaterMark marks = budget.waterMark();

        budget.opened();
        budget.closed();

        assertThat(budget.waterMark()).isSameAs(marks);
    }

    @Test
    void aConnectionAlwaysGetsTheFloor() {
        BufferBudget tiny = new BufferBudget(64 * 1024, 32 * 1024, 64 * 1024);
        for (int i = 0; i < 10_000; i++) {
            tiny.opened();
        }

        assertThat(tiny.waterMark().high()).isEqualTo(BufferBudget.MIN_WATER_MARK);
        assertThat(tiny.waterMark().low()).isEqualTo(BufferBudget.MIN_WATER_MARK / 2);
        assertThat(tiny.maxRead()).isEqualTo(BufferBudget.MIN_WATER_MARK);
    }

    @Test
    void eachReadLoopTakesTheCurrentMarksAndReadsAtMostTheShare() {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            RecvByteBufAllocator.Handle handle = budget.recvAllocator().newHandle();
            open(5_000);

            handle.reset(ch.config());
            ByteBuf read = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
            try {
                assertThat(ch.config().getWriteBufferWaterMark()).isSameAs(budget.waterMark());
                assertThat(read.capacity()).isLessThanOrEqualTo(budget.maxRead());
                assertThat(handle.guess()).isLessThanOrEqualTo(budget.maxRead());
            } finally {
                read.release();
            }
            assertThat(handle).isInstanceOf(RecvByteBufAllocator.ExtendedHandle.class);
            assertThat(((MaxMessagesRecvByteBufAllocator) budget.recvAllocator()).maxMessagesPerRead())
                    .isEqualTo(BufferBudget.MAX_MESSAGES_PER_READ);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void refusesBadArguments() {
        assertThatIllegalArgumentException().isThrownBy(() -> new BufferBudget(0, 1, 2));
        assertThatIllegalArgumentException().isThrownBy(() -> new BufferBudget(1024, 3, 2));
    }

    private void open(int connections) {
        for (int i = 0; i < connections; i++) {
            budget.opened();
        }
    }
}
