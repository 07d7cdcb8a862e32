package dev.workcell.agent.task;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import dev.workcell.agent.process.CleanEnvironment;

/**
 * The environment of an attempt's command: the agent's {@link CleanEnvironment}, the variables the
 * task sets, ANDROID_SERIAL when the target is an Android device, and the attempt's {@link TaskMark}.
 */
final class TaskEnvironment {

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

    Map<String, String> of(Command command, String targetSerial, TaskMark mark) {
        Map<String, String> environment = new HashMap<>(clean);
        environment.putAll(command.env());
        if (androidTarget.test(targetSerial)) {
            environment.put("ANDROID_SERIAL", targetSerial);
        }
        environment.put(TaskMark.VARIABLE, mark.value());
        return environment;
    }
}
