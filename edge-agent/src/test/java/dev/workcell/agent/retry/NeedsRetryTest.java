package dev.workcell.agent.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NeedsRetryTest {

    private static final String GAPIS = "Failed to connect to the GAPIS server";

    @Test
    void textFileBusyAsksForRetryWithTheWholeReason() {
        String reason = "exec /usr/bin/gapis: text file busy (after 3 tries)";

        TaskRetryError error = NeedsRetry.check(reason).orElseThrow();

        assertEquals(reason, error.reason());
    }

    @Test
    void extraRetryStringMatchesOnlyWhenPresent() {
        assertFalse(NeedsRetry.check("x", GAPIS).isPresent());
        assertTrue(NeedsRetry.check(GAPIS + ": connection refused", GAPIS).isPresent());
    }

    @Test
    void matchingIsCaseSensitive() {
        assertFalse(NeedsRetry.check("Text File Busy").isPresent());
        assertFalse(
                NeedsRetry.check("failed to connect to the gapis server", GAPIS).isPresent());
    }

    @Test
    void emptyRetryStringMatchesEverythingEvenAnEmptyReason() {
        assertTrue(NeedsRetry.check("anything", "").isPresent());
        assertTrue(NeedsRetry.check("", "").isPresent());
    }

    @Test
    void noRetryStringsAndNoBusyTextMeansNoRetry() {
        assertFalse(NeedsRetry.check("segmentation fault").isPresent());
        assertFalse(NeedsRetry.check("").isPresent());
    }

    @Test
    void messageIsTryAgainAndTheReason() {
        assertEquals("Try again: text file busy", new TaskRetryError("text file busy").getMessage());
    }
}
