package dev.workcell.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResponse;
import dev.workcell.proto.v1.SubmitActionsRequest;
import dev.workcell.proto.v1.SubmitActionsResponse;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Submits EXEC actions over gRPC ActionService.Submit, for a target or by dimensions (or many at once
 * with SubmitBatch), each with a distinct input so that none is de-duplicated; with idempotency keys,
 * the same submit sent again returns the action it created.
 */
final class Submitter {

    private final ActionServiceGrpc.ActionServiceFutureStub actions;
    private final String runId;
    private final boolean idempotent;

    Submitter(ManagedChannel channel, String runId, boolean idempotent) {
        this.actions = ActionServiceGrpc.newFutureStub(channel).withInterceptors(BenchCredentials.asClient());
        this.runId = runId;
        this.idempotent = idempotent;
    }

    CompletableFuture<SubmitActionResponse> submit(String target, String label, int n) {
        return answer(actions.submit(request(label, n).setTarget(target).build()));
    }

    /** Submits by dimensions: any device that has them may run it; it waits at most queueTimeoutSeconds (0: default). */
    CompletableFuture<SubmitActionResponse> submitByDimensions(
            Map<String, String> dimensions, String label, int n, int queueTimeoutSeconds) {
        return answer(actions.submit(request(label, n)
                .putAllDimensions(dimensions)
                .setQueueTimeoutSeconds(queueTimeoutSeconds)
                .build()));
    }

    /** One SubmitBatch of the actions numbered {@code first} on, one per target given, in order. */
    CompletableFuture<SubmitActionsResponse> submitBatch(List<String> targets, String label, int first) {
        SubmitActionsRequest.Builder batch = SubmitActionsRequest.newBuilder();
        for (int i = 0; i < targets.size(); i++) {
            batch.addItems(request(label, first + i).setTarget(targets.get(i)));
        }
        return answer(actions.submitBatch(batch.build()));
    }

    private SubmitActionRequest.Builder request(String label, int n) {
        String name = "bench-" + runId + "-" + label + "-" + n;
        SubmitActionRequest.Builder request = SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setInput(ActionInput.newBuilder()
                        .setExec(ExecInput.newBuilder().addArgv("true").addArgv(name)));
        if (idempotent) {
            request.setIdempotencyKey(name);
        }
        return request;
    }

    private static <T> CompletableFuture<T> answer(ListenableFuture<T> call) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Futures.addCallback(
                call,
                new FutureCallback<>() {
                    @Override
                    public void onSuccess(T response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onFailure(Throwable error) {
                        answer.completeExceptionally(error);
                    }
                },
                MoreExecutors.directExecutor());
        return answer;
    }
}
