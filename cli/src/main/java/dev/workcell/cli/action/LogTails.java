package dev.workcell.cli.action;

import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.GetLogRequest;
import dev.workcell.proto.v1.LogChunk;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The last line each running action printed, for the progress view: the log of each running
 * attempt is followed (at most {@link #MAX_FOLLOWED} at once) and its last non-blank line kept.
 */
final class LogTails implements AutoCloseable {

    static final int MAX_FOLLOWED = 32;

    private final ControlPlane controlPlane;
    private final Map<String, Integer> followedAttempt = new ConcurrentHashMap<>();
    private final Map<String, String> lastLine = new ConcurrentHashMap<>();
    private final List<ClientCallStreamObserver<?>> calls = new CopyOnWriteArrayList<>();

    LogTails(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
    }

    /** Starts following the action's current attempt once it runs. */
    void follow(Action action) {
        if (action.getStatus() != ActionStatus.RUNNING
                || calls.size() >= MAX_FOLLOWED
                || Integer.valueOf(action.getAttempt())
                        .equals(followedAttempt.put(action.getId(), action.getAttempt()))) {
            return;
        }
        GetLogRequest request = GetLogRequest.newBuilder()
                .setId(action.getId())
                .setAttempt(action.getAttempt())
                .setFollow(true)
                .build();
        controlPlane.streams().logs(request, new ClientResponseObserver<GetLogRequest, LogChunk>() {
            private ClientCallStreamObserver<GetLogRequest> call;
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void beforeStart(ClientCallStreamObserver<GetLogRequest> call) {
                this.call = call;
                calls.add(call);
            }

            @Override
            public void onNext(LogChunk chunk) {
                partial.append(chunk.getData().toString(StandardCharsets.UTF_8));
                String[] lines = partial.toString().split("\r?\n|\r", -1);
                for (int i = lines.length - 1; i >= 0; i--) {
                    if (!lines[i].isBlank()) {
                        lastLine.put(action.getId(), lines[i].strip());
                        break;
                    }
                }
                partial.setLength(0);
                partial.append(lines[lines.length - 1]);
            }

            @Override
            public void onError(Throwable error) {
                calls.remove(call);
            }

            @Override
            public void onCompleted() {
                calls.remove(call);
            }
        });
    }

    /** The last line the action printed, "" before its first. */
    String last(String actionId) {
        return lastLine.getOrDefault(actionId, "");
    }

    @Override
    public void close() {
        calls.forEach(call -> call.cancel("the command is done", null));
    }
}
