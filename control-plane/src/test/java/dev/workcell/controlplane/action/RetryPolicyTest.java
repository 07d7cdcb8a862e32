package dev.workcell.controlplane.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.config.WorkcellConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    static WorkcellConfig.Retry config(long delayMillis, long maxDelayMillis, long jitterMillis) {
        return new WorkcellConfig.Retry() {
            public int maxAttempts() {
                return 4;
            }

            public Duration delay() {
                return Duration.ofMillis(delayMillis);
            }

            public Duration maxDelay() {
                return Duration.ofMillis(maxDelayMillis);
            }

            public Duration jitter() {
                return Duration.ofMillis(jitterMillis);
            }

            public java.util.Set<dev.workcell.proto.v1.FailureClass> retriedClasses() {
                return java.util.Set.of(
                        dev.workcell.proto.v1.FailureClass.RETRYABLE, dev.workcell.proto.v1.FailureClass.DEVICE_LOST);
            }
        };
    }

    @Test
    void delayDoublesWithEachAttemptUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(config(100, 350, 0));

        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofMillis(350));
        assertThat(policy.delayAfter(60)).isEqualTo(Duration.ofMillis(350));
    }

    @Test
    void jitterAddsAtMostItsBound() {
        RetryPolicy policy = new RetryPolicy(config(100, 10_000, 50));

        for (int i = 0; i < 1000; i++) {
            assertThat(policy.delayAfter(1).toMillis()).isBetween(100L, 150L);
        }
    }

    @Test
    void onlyTheConfiguredFailureClassesAreRetried() {
        RetryPolicy policy = new RetryPolicy(config(100, 1000, 0));

        assertThat(policy.retries(dev.workcell.proto.v1.FailureClass.RETRYABLE)).isTrue();
        assertThat(policy.retries(dev.workcell.proto.v1.FailureClass.DEVICE_LOST))
                .isTrue();
        assertThat(policy.retries(dev.workcell.proto.v1.FailureClass.TASK_FAILED))
                .isFalse();
        assertThat(policy.retries(dev.workcell.proto.v1.FailureClass.TIMED_OUT)).isFalse();
    }

    @Test
    void exhaustedMessageIsTheOriginalsWithTheLastCause() {
        assertThat(RetryPolicy.exhausted(4, "Try again: text file busy"))
                .isEqualTo("Retried maximum attempts, 4: Try again: text file busy");
    }
}
