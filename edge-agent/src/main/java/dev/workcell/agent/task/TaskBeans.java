package dev.workcell.agent.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.config.AgentConfig.OperationTemplate;
import dev.workcell.proto.v1.Operation;

/** Builds the task machinery from the agent's configuration: EXEC always, each template operation when it has a command. */
public class TaskBeans {

    @Produces
    @Singleton
    HeldAttempts heldAttempts() {
        return new HeldAttempts();
    }

    @Produces
    @Singleton
    TaskRunner taskRunner(AgentConfig config, HeldAttempts held) {
        ProcessRunner processes = new ProcessRunner(config.tailBytes(), config.killGrace());
        List<TaskExecutor> executors = new ArrayList<>();
        executors.add(new ExecExecutor(processes, config.defaultTimeout(), config.exec().retryStrings().orElse(List.of())));
        template(Operation.TRACE, config.operations().trace(), config, processes).ifPresent(executors::add);
        template(Operation.REPLAY, config.operations().replay(), config, processes).ifPresent(executors::add);
        template(Operation.REPORT, config.operations().report(), config, processes).ifPresent(executors::add);
        return new TaskRunner(executors, held, new WorkDirs(config.workDir(), config.keepWorkDirs()), config.maxParallelTasks());
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
