package dev.workcell.agent.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.workcell.agent.artifact.InputArtifacts;
import dev.workcell.agent.artifact.OutputStash;
import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.config.AgentConfig.OperationTemplate;
import dev.workcell.agent.log.LiveLogs;
import dev.workcell.agent.outbox.Outbox;
import dev.workcell.proto.v1.Operation;

/**
 * Builds the task machinery from the agent's configuration: EXEC always, each template operation when
 * it has a command; the held attempts start with what the outbox kept from an earlier run.
 */
public class TaskBeans {

    @Produces
    @Singleton
    HeldAttempts heldAttempts(Outbox outbox) {
        HeldAttempts held = new HeldAttempts();
        outbox.results().forEach(result -> held.holdFinal(result.update()));
        return held;
    }

    @Produces
    @Singleton
    TaskRunner taskRunner(AgentConfig config, HeldAttempts held, LiveLogs liveLogs, InputArtifacts inputs, OutputStash stash) {
        ProcessRunner processes = new ProcessRunner(config.tailBytes(), config.killGrace(), liveLogs);
        List<TaskExecutor> executors = new ArrayList<>();
        executors.add(new ExecExecutor(processes, config.defaultTimeout(), config.exec().retryStrings().orElse(List.of())));
        template(Operation.TRACE, config.operations().trace(), config, processes).ifPresent(executors::add);
        template(Operation.REPLAY, config.operations().replay(), config, processes).ifPresent(executors::add);
        template(Operation.REPORT, config.operations().report(), config, processes).ifPresent(executors::add);
        return new TaskRunner(executors, held, new WorkDirs(config.workDir(), config.keepWorkDirs()), inputs, stash,
                config.maxParallelTasks());
    }

    private static Optional<TaskExecutor> template(Operation operation, OperationTemplate template, AgentConfig config,
            ProcessRunner processes) {
        return template.command()
                .map(argv -> new CommandTemplate(
                        argv,
                        template.output().orElse(""),
                        template.retryStrings().orElse(List.of()),
                        template.timeout().orElse(config.defaultTimeout())))
                .map(command -> new TemplateExecutor(operation, command, processes));
    }
}
