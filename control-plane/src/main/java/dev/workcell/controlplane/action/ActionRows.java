package dev.workcell.controlplane.action;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.workcell.controlplane.db.DatabaseTime;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionEvent;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Companion;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TaskSlice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;

/** Maps ledger rows to the contract's messages. */
public final class ActionRows {

    private ActionRows() {}

    public static Action action(Row row) {
        Action.Builder action = Action.newBuilder()
                .setId(row.getString("id"))
                .setOperation(Operation.valueOf(row.getString("operation")))
                .setInput(parseInput(row.getBuffer("input")))
                .setHost(orEmpty(row.getString("host_id")))
                .setTarget(orEmpty(row.getString("target_id")))
                .setHostName(row.getString("host_name"))
                .setTargetName(row.getString("target_name"))
                .setStatus(ActionStatus.valueOf(row.getString("status")))
                .setAttempt(row.getInteger("attempt"))
                .setMaxAttempts(row.getInteger("max_attempts"))
                .setQueueDeadline(DatabaseTime.toProto(row.getOffsetDateTime("queue_deadline")))
                .setExecutionTimeoutSeconds((int) (row.getLong("execution_timeout_ms") / 1000))
                .setError(row.getString("error"))
                .setCancelRequested(row.getBoolean("cancel_requested"))
                .setSubmittedBy(row.getString("submitted_by"))
                .setPriority(row.getInteger("priority"))
                .setCreatedAt(DatabaseTime.toProto(row.getOffsetDateTime("created_at")))
                .setUpdatedAt(DatabaseTime.toProto(row.getOffsetDateTime("updated_at")));
        String failure = row.getString("failure");
        if (!failure.isEmpty()) {
            action.setFailure(FailureClass.valueOf(failure));
        }
        Buffer output = row.getBuffer("output");
        if (output != null) {
            action.setOutput(parseOutput(output));
        }
        String worker = row.getString("worker_id");
        if (worker != null) {
            action.setWorker(worker);
        }
        String idempotencyKey = row.getString("idempotency_key");
        if (idempotencyKey != null) {
            action.setIdempotencyKey(idempotencyKey);
        }
        OffsetDateTime startedAt = row.getOffsetDateTime("started_at");
        if (startedAt != null) {
            action.setStartedAt(DatabaseTime.toProto(startedAt));
        }
        OffsetDateTime finishedAt = row.getOffsetDateTime("finished_at");
        if (finishedAt != null) {
            action.setFinishedAt(DatabaseTime.toProto(finishedAt));
        }
        if (row.getValue("slices") instanceof JsonArray slices) {
            slices.forEach(slice -> action.addSlices(slice((JsonObject) slice)));
            action.setSlice(row.getInteger("slice"));
        }
        if (row.getArrayOfStrings("companions") != null) {
            action.addAllCompanions(Arrays.asList(row.getArrayOfStrings("companions")));
        }
        return action.build();
    }

    private static TaskSlice slice(JsonObject stored) {
        TaskSlice.Builder slice = TaskSlice.newBuilder().setExpirationSeconds(stored.getInteger("expirationSeconds"));
        stored.getJsonObject("dimensions")
                .forEach(entry -> slice.putDimensions(entry.getKey(), String.valueOf(entry.getValue())));
        stored.getJsonArray("companions", new JsonArray()).forEach(companion -> {
            Companion.Builder parsed = Companion.newBuilder();
            ((JsonObject) companion)
                    .getJsonObject("dimensions")
                    .forEach(entry -> parsed.putDimensions(entry.getKey(), String.valueOf(entry.getValue())));
            slice.addCompanions(parsed);
        });
        return slice.build();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    public static ActionEvent event(Row row) {
        ActionEvent.Builder event = ActionEvent.newBuilder()
                .setSeq(row.getLong("seq"))
                .setActionId(row.getString("action_id"))
                .setAttempt(row.getInteger("attempt"))
                .setTo(ActionStatus.valueOf(row.getString("to_status")))
                .setReason(row.getString("reason"))
                .setActor(row.getString("actor"))
                .setAt(DatabaseTime.toProto(row.getOffsetDateTime("at")));
        if (row.getString("from_status") != null) {
            event.setFrom(ActionStatus.valueOf(row.getString("from_status")));
        }
        if (row.getString("worker_id") != null) {
            event.setWorker(row.getString("worker_id"));
        }
        return event.build();
    }

    private static ActionInput parseInput(Buffer bytes) {
        try {
            return ActionInput.parseFrom(bytes.getBytes());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("ledger holds an unreadable action input", e);
        }
    }

    private static ActionOutput parseOutput(Buffer bytes) {
        try {
            return ActionOutput.parseFrom(bytes.getBytes());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("ledger holds an unreadable action output", e);
        }
    }
}
