package dev.workcell.agent.task;

import dev.workcell.agent.process.CleanEnvironment;
import dev.workcell.proto.v1.CompanionDevice;
import dev.workcell.proto.v1.Task;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The environment of an attempt's command: the agent's {@link CleanEnvironment}, the variables the
 * task sets, ANDROID_SERIAL when the target is an Android device, the serials of the companion devices
 * the control plane holds for a gang's attempt (comma-separated, in the order of the slice's companions),
 * and the attempt's {@link TaskMark}.
 */
final class TaskEnvironment {

    static final String COMPANION_SERIALS = "WORKCELL_COMPANION_SERIALS";

    private final Map<String, String> clean;
    private final Predicate<String> androidTarget;

    /**
     * @param agentEnvironment the agent's own environment
     * @param androidTarget whether the target of this serial is an Android device
     */
    TaskEnvironment(Map<String, String> agentEnvironment, Predicate<String> androidTarget) {
        this.clean = CleanEnvironment.of(agentEnvironment);
        this.androidTarget = androidTarget;
    }

    /** For an agent whose targets are never Android devices. */
    static TaskEnvironment withoutAndroid() {
        return new TaskEnvironment(System.getenv(), serial -> false);
    }

    Map<String, String> of(Command command, Task task, TaskMark mark) {
        Map<String, String> environment = new HashMap<>(clean);
        environment.putAll(command.env());
        if (androidTarget.test(task.getTargetSerial())) {
            environment.put("ANDROID_SERIAL", task.getTargetSerial());
        }
        if (task.getCompanionsCount() > 0) {
            environment.put(
                    COMPANION_SERIALS,
                    String.join(
                            ",",
                            task.getCompanionsList().stream()
                                    .map(CompanionDevice::getSerial)
                                    .toList()));
        }
        environment.put(TaskMark.VARIABLE, mark.value());
        return environment;
    }
}
