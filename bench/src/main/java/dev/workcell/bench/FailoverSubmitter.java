package dev.workcell.bench;

import dev.workcell.proto.v1.SubmitActionResponse;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Half the submitters on each of two control planes. A submit the control plane did not answer
 * (UNAVAILABLE: it died) was not acknowledged; from then on that control plane's submits go to the
 * other one, and the unanswered one is sent there again with the same idempotency key, so an action
 * the dead replica had already created is returned instead of created twice.
 */
final class FailoverSubmitter {

    private final List<Submitter> controlPlanes;
    private final AtomicIntegerArray down;
    final AtomicInteger unanswered = new AtomicInteger();
    final AtomicInteger resentCreated = new AtomicInteger();
    final AtomicInteger resentExisting = new AtomicInteger();

    FailoverSubmitter(Submitter first, Submitter second) {
        this.controlPlanes = List.of(first, second);
        this.down = new AtomicIntegerArray(2);
    }

    CompletableFuture<SubmitActionResponse> submit(String target, String label, int n) {
        int to = down.get(n % 2) == 1 ? 1 - n % 2 : n % 2;
        return controlPlanes.get(to).submit(target, label, n).exceptionallyCompose(error -> {
            if (Status.fromThrowable(error).getCode() != Status.Code.UNAVAILABLE) {
                return CompletableFuture.failedFuture(error);
            }
            down.set(to, 1);
            unanswered.incrementAndGet();
            return controlPlanes.get(1 - to).submit(target, label, n).thenApply(response -> {
                (response.getCreated() ? resentCreated : resentExisting).incrementAndGet();
                return response;
            });
        });
    }
}
