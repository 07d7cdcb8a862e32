package dev.workcell.controlplane.web;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.workcell.controlplane.action.ActionStateMachine;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionEvent;
import java.util.List;

/** One action as its page shows it to one person: its state, its history, and which buttons that person gets. */
public record ActionView(Action action, List<ActionEvent> events, Viewer viewer) {

    private static final JsonFormat.Printer JSON = JsonFormat.printer();

    public boolean isTerminal() {
        return ActionStateMachine.isTerminal(action.getStatus());
    }

    /** Cancel is offered as the server would honour it: a submitter on its own actions, an admin on any, while it is not over. */
    public boolean canCancel() {
        return !isTerminal() && viewer.canSubmit()
                && (viewer.isAdmin() || action.getSubmittedBy().equals(viewer.caller().id()));
    }

    /** Retry (the same operation and input again, as a new action) is offered to submitters once the action is over. */
    public boolean canRetry() {
        return isTerminal() && viewer.canSubmit();
    }

    public String input() {
        return json(action.getInput());
    }

    public boolean hasOutput() {
        return action.hasOutput();
    }

    private static String json(com.google.protobuf.MessageOrBuilder message) {
        try {
            return JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an action's own input cannot be printed: " + e.getMessage(), e);
        }
    }
}
