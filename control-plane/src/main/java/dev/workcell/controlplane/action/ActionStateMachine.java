package dev.workcell.controlplane.action;

import static dev.workcell.proto.v1.ActionStatus.CANCELLED;
import static dev.workcell.proto.v1.ActionStatus.DISPATCHED;
import static dev.workcell.proto.v1.ActionStatus.EXPIRED;
import static dev.workcell.proto.v1.ActionStatus.FAILED;
import static dev.workcell.proto.v1.ActionStatus.QUEUED;
import static dev.workcell.proto.v1.ActionStatus.RUNNING;
import static dev.workcell.proto.v1.ActionStatus.SUCCEEDED;

import dev.workcell.proto.v1.ActionStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal transitions of an action. The original merged any update into any state; here an
 * update that is not a legal transition is refused and logged.
 *
 * <pre>
 * QUEUED -> DISPATCHED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED
 *   |           |  \________ QUEUED (retry, lost worker: attempt + 1)
 *   +-> CANCELLED | EXPIRED (queue deadline)
 *               +-> SUCCEEDED | FAILED | CANCELLED (a fast task may skip RUNNING)
 * </pre>
 */
public final class ActionStateMachine {

    private static final Map<ActionStatus, Set<ActionStatus>> NEXT = Map.of(
            QUEUED, EnumSet.of(DISPATCHED, CANCELLED, FAILED, EXPIRED),
            DISPATCHED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED, QUEUED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, QUEUED),
            SUCCEEDED, EnumSet.noneOf(ActionStatus.class),
            FAILED, EnumSet.noneOf(ActionStatus.class),
            CANCELLED, EnumSet.noneOf(ActionStatus.class),
            EXPIRED, EnumSet.noneOf(ActionStatus.class));

    private ActionStateMachine() {}

    public static boolean allows(ActionStatus from, ActionStatus to) {
        return NEXT.getOrDefault(from, Set.of()).contains(to);
    }

    public static boolean isTerminal(ActionStatus status) {
        return status == SUCCEEDED || status == FAILED || status == CANCELLED || status == EXPIRED;
    }

    /** Statuses an agent may report for an attempt it holds. */
    public static boolean isAgentReportable(ActionStatus status) {
        return status == RUNNING || status == SUCCEEDED || status == FAILED || status == CANCELLED;
    }
}
