package dev.workcell.controlplane.agent;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.validation.TextFields;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Hello;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.TargetDevice;
import java.util.List;

/** What an agent says of its host and devices, checked before anything is written: INVALID_ARGUMENT naming the field. */
final class HelloChecks {

    private static final int MAX_NAME_LENGTH = 256;
    private static final int MAX_LABELS = 64;
    private static final int MAX_TARGETS = 1024;

    private HelloChecks() {}

    static void check(Hello hello) {
        if (!hello.hasHost()
                || (hello.getHost().getName().isEmpty()
                        && hello.getHost().getSerial().isEmpty())) {
            throw new InvalidRequestException("hello.host", "required, with a name or a serial");
        }
        checkDevice("hello.host", hello.getHost());
        checkTargets("hello.targets", hello.getTargetsList());
    }

    /** A device's name and serial, which the ledger stores as text, and its labels: bounded in number and size. */
    static void checkDevice(String field, Device device) {
        TextFields.check(field + ".name", device.getName(), MAX_NAME_LENGTH);
        TextFields.check(field + ".serial", device.getSerial(), MAX_NAME_LENGTH);
        if (device.getLabelsCount() > MAX_LABELS) {
            throw new InvalidRequestException(field + ".labels", "at most " + MAX_LABELS + " labels");
        }
        device.getLabelsMap().forEach((key, value) -> {
            TextFields.check(field + ".labels key", key, MAX_NAME_LENGTH);
            TextFields.check(field + ".labels[" + key + "]", value, MAX_NAME_LENGTH);
        });
    }

    static void checkTargets(String field, List<TargetDevice> targets) {
        if (targets.size() > MAX_TARGETS) {
            throw new InvalidRequestException(field, "at most " + MAX_TARGETS + " target devices per host");
        }
        for (int i = 0; i < targets.size(); i++) {
            TargetDevice target = targets.get(i);
            if (target.getDevice().getName().isEmpty()
                    && target.getDevice().getSerial().isEmpty()) {
                throw new InvalidRequestException(field + "[" + i + "].device", "required, with a name or a serial");
            }
            checkDevice(field + "[" + i + "].device", target.getDevice());
            if (target.getOperationsCount() == 0) {
                throw new InvalidRequestException(
                        field + "[" + i + "].operations", "at least one operation is required");
            }
            if (target.getOperationsList().stream()
                    .anyMatch(op -> op == Operation.OPERATION_UNSPECIFIED || op == Operation.UNRECOGNIZED)) {
                throw new InvalidRequestException(field + "[" + i + "].operations", "unknown operation");
            }
        }
    }
}
