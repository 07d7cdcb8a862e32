package dev.workcell.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.SubmitActionResponse;
import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Submits EXEC actions over gRPC ActionService.Submit, for a target or by dimensions, each with a distinct input so that none is
 * de-duplicated; with idempotency keys, the same submit sent again returns the action it created.
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
        return send(request(label, n).setTarget(target));
    }

    /** Submits by dimensions: any device that has them may run it; it waits at most queueTimeoutSeconds (0: default). */
    CompletableFuture<SubmitActionResponse> submitByDimensions(Map<String, String> dimensions, String label, int n,
                                                               int queueTimeoutSeconds) {
        return send(request(label, n).putAllDimensions(dimensions).setQueueTimeoutSeconds(queueTimeoutSeconds));
    }

    private SubmitActionRequest.Builder request(String label, int n) {
        String name = "bench-" + runId + "-" + label + "-" + n;
        SubmitActionRequest.Builder request = SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setInput(ActionInput.newBuilder().setExec(ExecInput.newBuilder().addArgv("true").addArgv(name)));
        if (idempotent) {
            request.setIdempotencyKey(name);
        }
        return request;
    }

    private CompletableFuture<SubmitActionResponse> send(SubmitActionRequest.Builder request) {
        CompletableFuture<SubmitActionResponse> answer = new CompletableFuture<>();
        Futures.addCallback(actions.submit(request.build()), new FutureCallback<>() {
            @Override
            public void onSuccess(SubmitActionResponse response) {
                answer.complete(response);
            }

            @Override
            public void onFailure(Throwable error) {
                answer.completeExceptionally(error);
            }
        }, MoreExecutors.directExecutor());
        return answer;
    }
}
