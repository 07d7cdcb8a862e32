package dev.workcell.controlplane.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OfferRotationTest {

    private static final long SET = 7;

    private final OfferRotation rotation = new OfferRotation();
    private final LiveWorker a = worker("a");
    private final LiveWorker b = worker("b");
    private final LiveWorker c = worker("c");
    private final List<LiveWorker> candidates = List.of(a, b, c);

    @Test
    void eachOfferStartsJustAfterTheDeviceThePreviousOfferWentTo() {
        assertThat(rotation.order(SET, candidates, null).next()).isEqualTo(a);
        assertThat(rotation.order(SET, candidates, null).next()).isEqualTo(b);
        assertThat(rotation.order(SET, candidates, null).next()).isEqualTo(c);
        assertThat(rotation.order(SET, candidates, null).next()).isEqualTo(a);
    }

    @Test
    void anOfferThatWalkedPastBusyDevicesMovesTheNextStartPastThem() {
        OfferRotation.OfferOrder first = rotation.order(SET, candidates, null);
        first.next(); // a, busy
        first.next(); // b, takes the action

        assertThat(inOrder(rotation.order(SET, candidates, null))).containsExactly(c, a, b);
    }

    @Test
    void everyCandidateComesOnceAndTheDeviceOfThePreviousAttemptLast() {
        rotation.order(SET, candidates, null).next();

        assertThat(inOrder(rotation.order(SET, candidates, "target-b"))).containsExactly(c, a, b);
        assertThat(inOrder(rotation.order(SET, candidates, "target-a"))).containsExactly(b, c, a);
    }

    @Test
    void concurrentOffersOfASetReachDifferentDevicesAndEachStillReachesAll() {
        OfferRotation.OfferOrder one = rotation.order(SET, candidates, null);
        OfferRotation.OfferOrder other = rotation.order(SET, candidates, null);

        assertThat(one.next()).isEqualTo(a);
        assertThat(other.next()).isEqualTo(b);
        assertThat(one.next()).isEqualTo(c);
        assertThat(other.next()).isEqualTo(a);
        assertThat(one.next()).isEqualTo(b);
        assertThat(one.next()).isNull();
        assertThat(other.next()).isEqualTo(c);
        assertThat(other.next()).isNull();
    }

    @Test
    void setsRotateEachOnItsOwn() {
        rotation.order(SET, candidates, null).next();
        rotation.order(SET, candidates, null).next();

        assertThat(rotation.order(SET + 1, candidates, null).next()).isEqualTo(a);
        assertThat(rotation.order(SET, candidates, null).next()).isEqualTo(c);
    }

    @Test
    void noCandidatesGiveNothing() {
        assertThat(rotation.order(SET, List.of(), "target-a").next()).isNull();
    }

    private static List<LiveWorker> inOrder(OfferRotation.OfferOrder order) {
        List<LiveWorker> walked = new ArrayList<>();
        for (LiveWorker next = order.next(); next != null; next = order.next()) {
            walked.add(next);
        }
        return walked;
    }

    private static LiveWorker worker(String name) {
        return new LiveWorker(
                Worker.newBuilder()
                        .setId("worker-" + name)
                        .setTarget("target-" + name)
                        .build(),
                "serial-" + name,
                null,
                new TreeMap<>());
    }
}
