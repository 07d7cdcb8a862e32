package dev.workcell.controlplane.api;

import dev.workcell.controlplane.action.BatchSubmits;
import dev.workcell.controlplane.action.IdempotencyKeyReusedException;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.proto.v1.SubmitActionResult;
import dev.workcell.proto.v1.SubmitActionsResponse;
import dev.workcell.proto.v1.SubmitRefusal;
import io.grpc.Status;
import java.util.List;

/** The answer to a batch submit, shared by REST and gRPC: each refusal says, as a call of its own would, what and which field. */
final class BatchResults {

    private BatchResults() {}

    static SubmitActionsResponse of(List<BatchSubmits.Outcome> outcomes) {
        SubmitActionsResponse.Builder response = SubmitActionsResponse.newBuilder();
        for (int i = 0; i < outcomes.size(); i++) {
            response.addResults(result(i, outcomes.get(i)));
        }
        return response.build();
    }

    private static SubmitActionResult result(int index, BatchSubmits.Outcome outcome) {
        if (outcome.refusal() != null) {
            return SubmitActionResult.newBuilder()
                    .setRefused(refusal(index, outcome.refusal()))
                    .build();
        }
        return outcome.response().getCreated()
                ? SubmitActionResult.newBuilder()
                        .setCreated(outcome.response().getAction())
                        .build()
                : SubmitActionResult.newBuilder()
                        .setExisting(outcome.response().getAction())
                        .build();
    }

    private static SubmitRefusal refusal(int index, RuntimeException refusal) {
        Status.Code code = GrpcErrors.toStatus(refusal).getStatus().getCode();
        String field = fieldOf(refusal);
        return SubmitRefusal.newBuilder()
                .setError(refusal.getMessage())
                .setField("items[" + index + "]" + (field == null ? "" : "." + field))
                .setStatus(httpStatus(code))
                .setCode(code.name())
                .build();
    }

    private static String fieldOf(RuntimeException refusal) {
        if (refusal instanceof InvalidRequestException invalid) {
            return invalid.field();
        }
        if (refusal instanceof NotFoundException notFound) {
            return notFound.field();
        }
        return refusal instanceof IdempotencyKeyReusedException ? IdempotencyKeyReusedException.FIELD : null;
    }

    /** As {@link RestErrors} answers the same refusal on a single submit. */
    private static int httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT -> 400;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, FAILED_PRECONDITION -> 409;
            case RESOURCE_EXHAUSTED -> 413;
            default -> 500;
        };
    }
}
