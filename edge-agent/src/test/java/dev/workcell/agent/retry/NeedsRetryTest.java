package dev.workcell.agent.retry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NeedsRetryTest {

    private static final String GAPIS = "Failed to connect to the GAPIS server";

    @Test
    void textFileBusyAsksForRetryWithTheWholeReason() {
        String reason = "exec /usr/bin/gapis: text file busy (after 3 tries)";

        TaskRetryError error = NeedsRetry.check(reason).orElseThrow();

        assertThat(error.reason()).isEqualTo(reason);
    }

    @Test
    void extraRetryStringMatchesOnlyWhenPresent() {
        assertThat(NeedsRetry.check("x", GAPIS).isPresent()).isFalse();
        assertThat(NeedsRetry.check(GAPIS + ": connection refused", GAPIS).isPresent())
                .isTrue();
    }

    @Test
    void matchingIsCaseSensitive() {
        assertThat(NeedsRetry.check("Text File Busy").isPresent()).isFalse();
        assertThat(NeedsRetry.check("failed to connect to the gapis server", GAPIS)
                        .isPresent())
                .isFalse();
    }

    @Test
    void emptyRetryStringMatchesEverythingEvenAnEmptyReason() {
        assertThat(NeedsRetry.check("anything", "").isPresent()).isTrue();
        assertThat(NeedsRetry.check("", "").isPresent()).isTrue();
    }

    @Test
    void noRetryStringsAndNoBusyTextMeansNoRetry() {
        assertThat(NeedsRetry.check("segmentation fault").isPresent()).isFalse();
        assertThat(NeedsRetry.check("").isPresent()).isFalse();
    }

    @Test
    void messageIsTryAgainAndTheReason() {
        assertThat(new TaskRetryError("text file busy").getMessage()).isEqualTo("Try again: text file busy");
    }
}
