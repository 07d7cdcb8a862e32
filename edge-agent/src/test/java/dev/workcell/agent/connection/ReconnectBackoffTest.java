package dev.workcell.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    private final ReconnectBackoff backoff =
            new ReconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(5));

    @Test
    void doublesUpToTheMaximumWithinTheJitter() {
        long[] expected = {200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000};

        for (long base : expected) {
            assertAround(base, backoff.next());
        }
    }

    @Test
    void startsAgainAfterAReset() {
        backoff.next();
        backoff.next();
        backoff.next();

        backoff.reset();

        assertAround(200, backoff.next());
    }

    @Test
    void waitsTheRefusedDelayAfterARefusalAndKeepsDoublingOtherwise() {
        assertAround(
                200,
                backoff.after(
                        Status.UNAVAILABLE.withDescription("Connection refused").asRuntimeException()));

        assertAround(
                300_000,
                backoff.after(Status.PERMISSION_DENIED
                        .withDescription("this agent enrolled for host a")
                        .asRuntimeException()));
        assertAround(300_000, backoff.after(new IllegalStateException(Status.UNAUTHENTICATED.asRuntimeException())));
        assertAround(
                400,
                backoff.after(Status.CANCELLED
                        .withDescription("nothing from the control plane")
                        .asRuntimeException()));
    }

    private static void assertAround(long baseMillis, Duration delay) {
        long millis = delay.toMillis();
        assertThat(millis >= baseMillis * 0.8 - 1 && millis <= baseMillis * 1.2 + 1)
                .as(delay + " is not about " + baseMillis + " ms")
                .isTrue();
    }
}
