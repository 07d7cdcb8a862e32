package dev.workcell.cli.action;

import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.GetActionRequest;
import dev.workcell.proto.v1.GetLogRequest;
import dev.workcell.proto.v1.LogChunk;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Reads an action's log as it is written, attempt after attempt, until the action is over: the
 * control plane ends a followed attempt's log when the attempt ends; if the action went on with
 * another attempt (a retry), that one is followed next.
 */
final class LogFollower {

    private final ControlPlane controlPlane;

    LogFollower(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
    }

    /**
     * Follows from {@code attempt} (0: the current one) in the calling thread until the action is
     * over or {@code context} is cancelled; {@code onAttempt} hears of each attempt after the first.
     */
    void follow(
            String actionId,
            int attempt,
            Consumer<LogChunk> onChunk,
            Consumer<Integer> onAttempt,
            Context.CancellableContext context) {
        int current = attempt == 0 ? get(actionId).getAttempt() : attempt;
        while (!context.isCancelled()) {
            GetLogRequest request = GetLogRequest.newBuilder()
                    .setId(actionId)
                    .setAttempt(current)
                    .setFollow(true)
                    .build();
            int followed = current;
            try {
                context.run(() -> {
                    Iterator<LogChunk> chunks = controlPlane.blockingStreams().logs(request);
                    chunks.forEachRemaining(onChunk);
                });
            } catch (StatusRuntimeException e) {
                if (context.isCancelled()) {
                    return;
                }
                throw e;
            }
            Action action = get(actionId);
            if (action.getAttempt() > followed) {
                current = followed + 1;
                onAttempt.accept(current);
            } else if (ActionTexts.terminal(action)) {
                return;
            }
        }
    }

    private Action get(String actionId) {
        return controlPlane
                .actions()
                .get(GetActionRequest.newBuilder().setId(actionId).build());
    }
}
