package dev.workcell.agent.task;

import dev.workcell.proto.v1.CancelTask;
import dev.workcell.proto.v1.HeldAttempt;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import dev.workcell.proto.v1.UpdateAck;

/** Names one attempt of one action: the unit the agent runs, reports and forgets. */
public record AttemptKey(String actionId, int attempt) {

    public static AttemptKey of(Task task) {
        return new AttemptKey(task.getActionId(), task.getAttempt());
    }

    public static AttemptKey of(TaskUpdate update) {
        return new AttemptKey(update.getActionId(), update.getAttempt());
    }

    public static AttemptKey of(HeldAttempt held) {
        return new AttemptKey(held.getActionId(), held.getAttempt());
    }

    public static AttemptKey of(CancelTask cancel) {
        return new AttemptKey(cancel.getActionId(), cancel.getAttempt());
    }

    public static AttemptKey of(UpdateAck ack) {
        return new AttemptKey(ack.getActionId(), ack.getAttempt());
    }

    @Override
    public String toString() {
        return actionId + "#" + attempt;
    }
}
