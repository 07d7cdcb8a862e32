package dev.workcell.controlplane.action;

import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.dimension.DeviceSet;
import dev.workcell.controlplane.dimension.DimensionMatcher;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.validation.TextFields;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.Companion;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.SubmitActionRequest;
import dev.workcell.proto.v1.TaskSlice;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a submit before anything is written; each problem names its field. */
@ApplicationScoped
public class SubmitValidator {

    static final int MAX_TARGET_LENGTH = 256;
    static final int MAX_KEY_LENGTH = 128;
    static final int MAX_TIMEOUT_SECONDS = 30 * 24 * 3600;
    static final int MAX_SLICES = 8;
    static final int DEFAULT_PRIORITY = 100;
    static final int LAST_PRIORITY = 255;
    private static final Set<String> APIS = Set.of("", "gles", "vulkan");
    private static final Map<Operation, ActionInput.KindCase> INPUT_OF = Map.of(
            Operation.TRACE, ActionInput.KindCase.TRACE,
            Operation.REPLAY, ActionInput.KindCase.REPLAY,
            Operation.REPORT, ActionInput.KindCase.REPORT,
            Operation.EXEC, ActionInput.KindCase.EXEC);

    private final int maxInputBytes;

    @Inject
    public SubmitValidator(WorkcellConfig config) {
        this(config.limits().maxInputBytes());
    }

    SubmitValidator(int maxInputBytes) {
        this.maxInputBytes = maxInputBytes;
    }

    /** Returns the canonical bytes of the input, or throws naming what is wrong. */
    public byte[] validate(SubmitActionRequest request) {
        Operation operation = request.getOperation();
        if (operation == Operation.UNRECOGNIZED) {
            throw new InvalidRequestException(
                    "operation",
                    "unknown value " + request.getOperationValue() + " (one of TRACE, REPLAY, REPORT, EXEC)");
        }
        if (operation == Operation.OPERATION_UNSPECIFIED) {
            throw new InvalidRequestException("operation", "required (one of TRACE, REPLAY, REPORT, EXEC)");
        }
        if (!request.getTarget().isEmpty() && (request.getDimensionsCount() > 0 || request.getSlicesCount() > 0)) {
            throw new InvalidRequestException(
                    request.getDimensionsCount() > 0 ? "dimensions" : "slices",
                    "give a target, dimensions or slices, not several");
        }
        if (request.getDimensionsCount() == 0 && request.getCompanionsCount() > 0) {
            throw new InvalidRequestException(
                    "companions",
                    "go with dimensions (with slices, each slice gives its own;"
                            + " a submit by target names one device)");
        }
        if (request.getDimensionsCount() == 0 && request.getSlicesCount() == 0) {
            if (request.getTarget().isBlank()) {
                throw new InvalidRequestException(
                        "target", "required (a device id or serial), or dimensions or slices");
            }
            TextFields.check("target", request.getTarget(), MAX_TARGET_LENGTH);
        }
        TextFields.check("idempotency_key", request.getIdempotencyKey(), MAX_KEY_LENGTH);
        if (request.hasPriority() && (request.getPriority() < 0 || request.getPriority() > LAST_PRIORITY)) {
            throw new InvalidRequestException(
                    "priority",
                    "must be between 0 (goes first) and " + LAST_PRIORITY + " (goes last), got "
                            + request.getPriority());
        }
        timeout("queue_timeout_seconds", request.getQueueTimeoutSeconds());
        timeout("execution_timeout_seconds", request.getExecutionTimeoutSeconds());
        validateInput(operation, request.getInput());
        TextFields.checkNoNul("input", request.getInput());
        byte[] canonical = EquivalentAction.canonicalBytes(request.getInput());
        if (canonical.length > maxInputBytes) {
            throw new InvalidRequestException(
                    "input", canonical.length + " bytes is over the limit of " + maxInputBytes);
        }
        return canonical;
    }

    /** The priority a submit asks for, 100 when it gives none. */
    public static int priorityOf(SubmitActionRequest request) {
        return request.hasPriority() ? request.getPriority() : DEFAULT_PRIORITY;
    }

    /** What a slice of a submit by dimensions asks for, and how long it may wait (null: the default queue timeout). */
    public record RequestedSlice(DeviceSet set, Duration expiration) {}

    /**
     * The slices of a submit by dimensions (one for plain dimensions), each parsed; a problem names
     * its field, e.g. {@code slices[1].dimensions.sdk}. Empty for a submit by target.
     */
    public List<RequestedSlice> slices(SubmitActionRequest request) {
        if (request.getDimensionsCount() > 0) {
            if (request.getSlicesCount() > 0) {
                throw new InvalidRequestException("slices", "give dimensions or slices, not both");
            }
            return List.of(new RequestedSlice(
                    deviceSet(request.getDimensionsMap(), request.getCompanionsList(), ""),
                    seconds(request.getQueueTimeoutSeconds())));
        }
        if (request.getSlicesCount() > MAX_SLICES) {
            throw new InvalidRequestException(
                    "slices", "at most " + MAX_SLICES + " slices, got " + request.getSlicesCount());
        }
        if (request.getSlicesCount() > 0 && request.getQueueTimeoutSeconds() != 0) {
            throw new InvalidRequestException(
                    "queue_timeout_seconds",
                    "must be 0 with slices: each slice's" + " expiration_seconds says how long it waits");
        }
        List<RequestedSlice> slices = new java.util.ArrayList<>();
        for (int i = 0; i < request.getSlicesCount(); i++) {
            TaskSlice slice = request.getSlices(i);
            timeout("slices[" + i + "].expiration_seconds", slice.getExpirationSeconds());
            slices.add(new RequestedSlice(
                    deviceSet(slice.getDimensionsMap(), slice.getCompanionsList(), "slices[" + i + "]."),
                    seconds(slice.getExpirationSeconds())));
        }
        return slices;
    }

    /** A slice's device and companions, parsed; {@code prefix} leads the fields a problem names ("" or "slices[1]."). */
    private static DeviceSet deviceSet(Map<String, String> dimensions, List<Companion> companions, String prefix) {
        if (companions.size() > DeviceSet.MAX_COMPANIONS) {
            throw new InvalidRequestException(
                    prefix + "companions",
                    "at most " + DeviceSet.MAX_COMPANIONS + " companions (a set of " + (DeviceSet.MAX_COMPANIONS + 1)
                            + " devices), got " + companions.size());
        }
        DimensionMatcher device = DimensionMatcher.parse(dimensions, prefix + "dimensions");
        List<DimensionMatcher> parsed = new ArrayList<>();
        for (int i = 0; i < companions.size(); i++) {
            parsed.add(DimensionMatcher.parse(
                    companions.get(i).getDimensionsMap(), prefix + "companions[" + i + "].dimensions"));
        }
        return new DeviceSet(device, parsed);
    }

    private static Duration seconds(int seconds) {
        return seconds == 0 ? null : Duration.ofSeconds(seconds);
    }

    private static void validateInput(Operation operation, ActionInput input) {
        ActionInput.KindCase expected = INPUT_OF.get(operation);
        if (input.getKindCase() == ActionInput.KindCase.KIND_NOT_SET) {
            throw new InvalidRequestException(
                    "input",
                    "required: operation " + operation + " needs input."
                            + expected.name().toLowerCase());
        }
        if (input.getKindCase() != expected) {
            throw new InvalidRequestException(
                    "input",
                    "input." + input.getKindCase().name().toLowerCase() + " does not match operation " + operation
                            + " (it needs input." + expected.name().toLowerCase() + ")");
        }
        switch (input.getKindCase()) {
            case TRACE -> {
                require("input.trace.subject", input.getTrace().getSubject());
                api("input.trace.api", input.getTrace().getApi());
                nonNegative("input.trace.duration_seconds", input.getTrace().getDurationSeconds());
                params("input.trace.params", input.getTrace().getParamsMap());
            }
            case REPLAY -> {
                require("input.replay.trace", input.getReplay().getTrace());
                api("input.replay.api", input.getReplay().getApi());
                params("input.replay.params", input.getReplay().getParamsMap());
            }
            case REPORT -> {
                require("input.report.trace", input.getReport().getTrace());
                api("input.report.api", input.getReport().getApi());
                params("input.report.params", input.getReport().getParamsMap());
            }
            case EXEC -> {
                if (input.getExec().getArgvCount() == 0
                        || input.getExec().getArgv(0).isBlank()) {
                    throw new InvalidRequestException("input.exec.argv", "required: the program and its arguments");
                }
                nonNegative("input.exec.timeout_seconds", input.getExec().getTimeoutSeconds());
                params("input.exec.env", input.getExec().getEnvMap());
            }
            default -> throw new InvalidRequestException("input", "unknown input kind");
        }
    }

    private static void timeout(String field, int seconds) {
        if (seconds < 0 || seconds > MAX_TIMEOUT_SECONDS) {
            throw new InvalidRequestException(
                    field, "must be between 0 (the default) and " + MAX_TIMEOUT_SECONDS + " (30 days), got " + seconds);
        }
    }

    private static void require(String field, String value) {
        if (value.isBlank()) {
            throw new InvalidRequestException(field, "required");
        }
    }

    private static void api(String field, String value) {
        if (!APIS.contains(value)) {
            throw new InvalidRequestException(
                    field, "'" + ActionIds.abbreviate(value) + "' is not one of gles, vulkan");
        }
    }

    private static void nonNegative(String field, int value) {
        if (value < 0) {
            throw new InvalidRequestException(field, "must not be negative, got " + value);
        }
    }

    private static void params(String field, Map<String, String> values) {
        if (values.keySet().stream().anyMatch(String::isBlank)) {
            throw new InvalidRequestException(field, "keys must not be empty");
        }
    }
}
