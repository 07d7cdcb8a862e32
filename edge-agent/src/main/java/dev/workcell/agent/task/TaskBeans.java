package dev.workcell.agent.task;

import dev.workcell.agent.artifact.InputArtifacts;
import dev.workcell.agent.artifact.OutputStash;
import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.config.AgentConfig.OperationTemplate;
import dev.workcell.agent.device.DeviceDiscovery;
import dev.workcell.agent.log.LiveLogs;
import dev.workcell.agent.outbox.Outbox;
import dev.workcell.agent.outbox.OutboxBeans;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.OsKind;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the task machinery from the agent's configuration: EXEC always, each template operation when
 * it has a command; the held attempts start with what the outbox kept from an earlier run, once what
 * that run left running is killed.
 */
public class TaskBeans {

    @Produces
    @Singleton
    TaskRecords taskRecords(AgentConfig config) {
        return new TaskRecords(config.workDir().resolve("running").resolve(OutboxBeans.hostDirectory(config)));
    }

    /** Made before the connection says Hello, which lists them: what an earlier run left running is killed first. */
    @Produces
    @Singleton
    HeldAttempts heldAttempts(Outbox outbox, TaskRecords records, AgentConfig config) {
        try {
            new LeftoverTasks(records, workDirs(config), config.killGrace()).reap();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read what an earlier run of the agent left running: " + e.getMessage(), e);
        }
        HeldAttempts held = new HeldAttempts();
        outbox.results().forEach(result -> held.holdFinal(result.update()));
        return held;
    }

    @Produces
    @Singleton
    TaskRunner taskRunner(
            AgentConfig config,
            HeldAttempts held,
            TaskRecords records,
            LiveLogs liveLogs,
            InputArtifacts inputs,
            OutputStash stash,
            DeviceDiscovery devices) {
        TaskEnvironment environment = new TaskEnvironment(System.getenv(), serial -> android(devices, serial));
        ProcessRunner processes = new ProcessRunner(
                config.tailBytes(), config.killGrace(), liveLogs, records, environment, TaskCgroups.detect());
        List<TaskExecutor> executors = new ArrayList<>();
        executors.add(new ExecExecutor(
                processes, config.defaultTimeout(), config.exec().retryStrings().orElse(List.of())));
        template(Operation.TRACE, config.operations().trace(), config, processes)
                .ifPresent(executors::add);
        template(Operation.REPLAY, config.operations().replay(), config, processes)
                .ifPresent(executors::add);
        template(Operation.REPORT, config.operations().report(), config, processes)
                .ifPresent(executors::add);
        return new TaskRunner(executors, held, workDirs(config), records, inputs, stash, config.maxParallelTasks());
    }

    private static WorkDirs workDirs(AgentConfig config) {
        return new WorkDirs(config.workDir(), config.keepWorkDirs());
    }

    private static boolean android(DeviceDiscovery devices, String serial) {
        return devices.current()
                .find(serial)
                .filter(found -> found.device().getOs().getKind() == OsKind.ANDROID)
                .isPresent();
    }

    private static Optional<TaskExecutor> template(
            Operation operation, OperationTemplate template, AgentConfig config, ProcessRunner processes) {
        return template.command()
                .map(argv -> new CommandTemplate(
                        argv,
                        template.output().orElse(""),
                        template.retryStrings().orElse(List.of()),
                        template.timeout().orElse(config.defaultTimeout())))
                .map(command -> new TemplateExecutor(operation, command, processes));
    }
}
