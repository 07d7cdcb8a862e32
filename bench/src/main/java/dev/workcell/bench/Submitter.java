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
import java.util.concurrent.CompletableFuture;

/** Submits EXEC actions over gRPC ActionService.Submit, each with a distinct input so that none is de-duplicated. */
final class Submitter {

    private final ActionServiceGrpc.ActionServiceFutureStub actions;
    private final String runId;

    Submitter(ManagedChannel channel, String runId) {
        this.actions = ActionServiceGrpc.newFutureStub(channel);
        this.runId = runId;
    }

    CompletableFuture<SubmitActionResponse> submit(String target, String label, int n) {
        SubmitActionRequest request = SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setTarget(target)
                .setInput(ActionInput.newBuilder().setExec(ExecInput.newBuilder()
                        .addArgv("true").addArgv("bench-" + runId + "-" + label + "-" + n)))
                .build();
        CompletableFuture<SubmitActionResponse> answer = new CompletableFuture<>();
        Futures.addCallback(actions.submit(request), new FutureCallback<>() {
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
