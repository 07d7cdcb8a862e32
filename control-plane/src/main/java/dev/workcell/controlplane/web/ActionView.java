package dev.workcell.controlplane.web;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.workcell.controlplane.action.ActionStateMachine;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionEvent;
import dev.workcell.proto.v1.PendingReason;
import dev.workcell.proto.v1.PendingSlice;
import dev.workcell.proto.v1.WhyPending;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * One action as its page shows it to one person: its state, its history, why it waits (when it is
 * QUEUED; null otherwise), and which buttons that person gets.
 */
public record ActionView(Action action, List<ActionEvent> events, WhyPending pending, Viewer viewer) {

    private static final JsonFormat.Printer JSON = JsonFormat.printer();

    public boolean isTerminal() {
        return ActionStateMachine.isTerminal(action.getStatus());
    }

    /** Cancel is offered as the server would honour it: a submitter on its own actions, an admin on any, while it is not over. */
    public boolean canCancel() {
        return !isTerminal()
                && viewer.canSubmit()
                && (viewer.isAdmin()
                        || action.getSubmittedBy().equals(viewer.caller().id()));
    }

    /** Retry (the same operation and input again, as a new action) is offered to submitters once the action is over. */
    public boolean canRetry() {
        return isTerminal() && viewer.canSubmit();
    }

    /** Whether the page explains why the action waits. */
    public boolean isWaiting() {
        return pending != null && pending.getReason() != PendingReason.NOT_WAITING;
    }

    /** One row of the "Why is it waiting?" table: a slice named for people, its device counts, and whether it applies now. */
    public record WaitingSlice(int index, String devices, PendingSlice counts, boolean current) {}

    public List<WaitingSlice> waitingSlices() {
        return IntStream.range(0, pending.getSlicesCount())
                .mapToObj(i -> {
                    PendingSlice slice = pending.getSlices(i);
                    String devices = slice.getDimensionsMap().isEmpty()
                            ? "target " + action.getTargetName()
                            : new TreeMap<>(slice.getDimensionsMap()).toString();
                    return new WaitingSlice(i, devices, slice, i == pending.getSlice());
                })
                .toList();
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
