package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.action.EquivalentAction;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.ReplayTarget;
import java.nio.charset.StandardCharsets;

/**
 * One piece of a campaign's cross product: the TRACE of a subject on a kind of device, or one of the
 * trace's follow-ups (a REPLAY on a replay target, the REPORT). Each generation of a slot is one
 * action, whose idempotency key says which, so that however many replicas create it there is one.
 */
record Slot(Operation operation, String subjectId, String kind, ReplayTarget replayOn) {

    static Slot trace(String subjectId, String kind) {
        return new Slot(Operation.TRACE, subjectId, kind, null);
    }

    static Slot replay(String subjectId, String kind, ReplayTarget on) {
        return new Slot(Operation.REPLAY, subjectId, kind, on);
    }

    static Slot report(String subjectId, String kind, ReplayTarget on) {
        return new Slot(Operation.REPORT, subjectId, kind, on);
    }

    /** The trace slot whose {@link #key()} this is. */
    static Slot ofTraceKey(String key) {
        String[] parts = key.split("/", 3);
        if (parts.length != 3 || !parts[0].equals(Operation.TRACE.name())) {
            throw new IllegalArgumentException("not a trace slot: " + key);
        }
        return trace(parts[1], parts[2]);
    }

    /** What campaign_actions.slot holds: unique within a campaign (kind names hold no "/"). */
    String key() {
        return operation + "/" + subjectId + "/" + kind + (operation == Operation.REPLAY ? "/" + replayOn : "");
    }

    Slot traceSlot() {
        return trace(subjectId, kind);
    }

    /** The ledger idempotency key of this slot's action of one generation (at most 128 characters). */
    String idempotencyKey(String campaignId, int generation) {
        String slotHash = EquivalentAction.inputHash(key().getBytes(StandardCharsets.UTF_8))
                .substring(0, 32);
        return "campaign:" + campaignId + ":" + slotHash + ":" + generation;
    }
}
