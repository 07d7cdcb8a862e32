package dev.workcell.controlplane.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LastSeenWritesTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void workersHeardTogetherAreWrittenSpreadOverThePeriodThenOncePerPeriod() {
        LastSeenWrites writes = new LastSeenWrites(Duration.ofSeconds(30));
        int workers = 1000;
        int[] firstDueAt = new int[workers];
        for (int second = 0; second <= 30; second++) {
            for (int w = 0; w < workers; w++) {
                if (writes.due("w" + w, second * SECOND) && firstDueAt[w] == 0) {
                    firstDueAt[w] = second;
                    writes.written("w" + w, second * SECOND);
                }
            }
        }
        assertThat(firstDueAt).doesNotContain(0);
        long busiestSecond = IntStream.rangeClosed(1, 30)
                .map(second -> (int)
                        IntStream.of(firstDueAt).filter(due -> due == second).count())
                .max()
                .orElseThrow();
        assertThat(busiestSecond)
                .as("at most a few times 1000/30 in any second")
                .isLessThan(100);

        assertThat(writes.due("w0", (firstDueAt[0] + 29) * SECOND)).isFalse();
        assertThat(writes.due("w0", (firstDueAt[0] + 30) * SECOND)).isTrue();
    }

    @Test
    void withNoResolutionEveryHeartbeatIsDue() {
        LastSeenWrites writes = new LastSeenWrites(Duration.ZERO);
        assertThat(writes.due("w", 0)).isTrue();
        writes.written("w", 0);
        assertThat(writes.due("w", 1)).isTrue();
    }
}
