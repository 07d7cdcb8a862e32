package dev.workcell.controlplane.action;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClaimHintsTest {

    private static final String DEVICE = "device-1";

    private final ClaimHints hints = new ClaimHints();

    @Test
    void aDeviceNothingIsKnownOfIsWorthAClaimUntilOneFindsItsQueueEmpty() {
        assertThat(hints.worthClaiming(DEVICE)).isTrue();

        hints.cameBackEmpty(hints.claiming(DEVICE));

        assertThat(hints.worthClaiming(DEVICE)).isFalse();
    }

    @Test
    void aDeviceBusyWithAnAttemptIsNotWorthAClaimWhateverArrivesUntilTheAttemptEnds() {
        settle();
        hints.arrived(DEVICE, 1);
        hints.claimed(hints.claiming(DEVICE), "a", false);
        hints.arrived(DEVICE, 2);

        assertThat(hints.worthClaiming(DEVICE)).isFalse();

        hints.ended(DEVICE, "a");
        assertThat(hints.worthClaiming(DEVICE)).isTrue();
    }

    @Test
    void theEndOfTheLastAttemptOfAQueueIsNotWorthAClaim() {
        settle();
        hints.arrived(DEVICE, 2);
        hints.claimed(hints.claiming(DEVICE), "a", false);
        hints.ended(DEVICE, "a");
        hints.claimed(hints.claiming(DEVICE), "b", false);
        hints.ended(DEVICE, "b");

        assertThat(hints.worthClaiming(DEVICE)).isFalse();
    }

    @Test
    void anEmptyClaimDoesNotForgetWhatArrivedWhileItRan() {
        settle();
        ClaimHints.Claim running = hints.claiming(DEVICE);
        hints.arrived(DEVICE, 1);

        hints.cameBackEmpty(running);

        assertThat(hints.worthClaiming(DEVICE)).isTrue();
    }

    @Test
    void anAttemptTheHintsDidNotKnowOfMakesTheDeviceWorthAClaimWhenItEnds() {
        settle();
        hints.arrived(DEVICE, 1);
        hints.cameBackEmpty(hints.claiming(DEVICE)); // the device was busy with an attempt resumed after a reconnect

        hints.ended(DEVICE, "resumed");

        assertThat(hints.worthClaiming(DEVICE)).isTrue();
    }

    @Test
    void aDoubtForgetsTheAttemptAndMakesTheDeviceWorthAClaim() {
        settle();
        hints.arrived(DEVICE, 1);
        hints.claimed(hints.claiming(DEVICE), "a", false);

        hints.doubt(DEVICE);

        assertThat(hints.holdsAttempt(DEVICE)).isFalse();
        assertThat(hints.worthClaiming(DEVICE)).isTrue();
    }

    @Test
    void aClaimOfAnActionTheCountsDidNotKnowOfLeavesTheNextClaimWorthIt() {
        settle();
        hints.claimed(hints.claiming(DEVICE), "queued-before-this-replica-started", false);

        hints.ended(DEVICE, "queued-before-this-replica-started");

        assertThat(hints.worthClaiming(DEVICE)).isTrue();
    }

    /** Starts from a device whose queue a claim found empty. */
    private void settle() {
        hints.cameBackEmpty(hints.claiming(DEVICE));
    }
}
