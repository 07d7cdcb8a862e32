package dev.workcell.operator.workcell;

import dev.workcell.operator.common.Conditions;
import dev.workcell.operator.workcell.status.DatabaseState;
import dev.workcell.operator.workcell.status.Rollout;

/**
 * The four conditions of a Workcell's status. Ready: all control-plane replicas run the spec and
 * are ready. Progressing: a rollout is under way. DatabaseReady: the operator could log into the
 * database. Degraded: something a person must fix (an invalid spec, an unsupported version, a
 * missing Secret, an image that cannot be pulled, crashing pods, a stuck rollout).
 */
public final class WorkcellConditions {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DATABASE_READY = "DatabaseReady";
    public static final String DEGRADED = "Degraded";

    private final WorkcellStatus status;
    private final long generation;

    public WorkcellConditions(WorkcellStatus status, Long generation) {
        this.status = status;
        this.generation = generation == null ? 0 : generation;
    }

    public void paused() {
        set(
                PROGRESSING,
                Conditions.FALSE,
                "Paused",
                "spec.paused is true: the operator changes nothing until it is false");
    }

    /** The spec was not applied: Degraded says why; Ready stays what it was (the running pods are untouched). */
    public void refused(String reason, String message) {
        set(DEGRADED, Conditions.TRUE, reason, message);
        set(PROGRESSING, Conditions.FALSE, reason, "nothing applied: see the Degraded condition");
        if (Conditions.find(status.getConditions(), READY).isEmpty()) {
            set(READY, Conditions.FALSE, reason, "nothing applied: see the Degraded condition");
        }
    }

    public void database(DatabaseState database) {
        set(
                DATABASE_READY,
                database.ready() ? Conditions.TRUE : Conditions.FALSE,
                database.reason(),
                database.message());
    }

    public void rollout(Rollout rollout, int replicas, DatabaseState database) {
        if (rollout.problemReason() != null) {
            set(DEGRADED, Conditions.TRUE, rollout.problemReason(), rollout.problemMessage());
        } else {
            set(DEGRADED, Conditions.FALSE, "AsExpected", "");
        }
        set(
                PROGRESSING,
                rollout.done() ? Conditions.FALSE : Conditions.TRUE,
                rollout.done() ? "RolledOut" : "RollingOut",
                rollout.progress());
        if (rollout.done() && replicas > 0) {
            set(READY, Conditions.TRUE, "AllReplicasReady", rollout.progress());
        } else if (rollout.done()) {
            set(READY, Conditions.FALSE, "ScaledToZero", "spec.replicas is 0");
        } else {
            set(
                    READY,
                    Conditions.FALSE,
                    "PodsNotReady",
                    rollout.progress() + (database.ready() ? "" : "; the database is not ready: see DatabaseReady"));
        }
    }

    private void set(String type, String value, String reason, String message) {
        Conditions.set(status.getConditions(), generation, type, value, reason, message);
    }
}
