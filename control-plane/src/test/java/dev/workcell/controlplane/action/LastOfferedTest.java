package dev.workcell.controlplane.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.worker.Workers.LiveWorker;
import dev.workcell.proto.v1.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LastOfferedTest {

    private final LastOffered lastOffered = new LastOffered();
    private final LiveWorker a = worker("a");
    private final LiveWorker b = worker("b");
    private final LiveWorker c = worker("c");

    @Test
    void devicesNeverOfferedComeFirstThenTheLeastRecentlyOffered() {
        lastOffered.offering(b);
        lastOffered.offering(a);

        assertThat(inOrder(List.of(a, b, c), null)).containsExactly(c, b, a);
    }

    @Test
    void theDeviceOfThePreviousAttemptComesLastEvenIfNeverOffered() {
        lastOffered.offering(a);
        lastOffered.offering(b);

        assertThat(inOrder(List.of(a, b, c), "target-c")).containsExactly(a, b, c);
    }

    @Test
    void manyCandidatesComeInTheSameOrderPastTheFirstFew() {
        List<LiveWorker> offeredInOrder = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            offeredInOrder.add(worker("w" + i));
            lastOffered.offering(offeredInOrder.get(i));
        }
        List<LiveWorker> shuffled = new ArrayList<>(offeredInOrder);
        Collections.shuffle(shuffled, new Random(7));

        assertThat(inOrder(shuffled, null)).containsExactlyElementsOf(offeredInOrder);
    }

    private List<LiveWorker> inOrder(List<LiveWorker> candidates, String last) {
        LastOffered.OfferOrder order = lastOffered.order(candidates, last);
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
