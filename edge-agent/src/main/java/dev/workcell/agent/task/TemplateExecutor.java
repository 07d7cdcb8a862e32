package dev.workcell.agent.task;

import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.ReplayInput;
import dev.workcell.proto.v1.ReplayOutput;
import dev.workcell.proto.v1.ReportInput;
import dev.workcell.proto.v1.ReportOutput;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TraceInput;
import dev.workcell.proto.v1.TraceOutput;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs TRACE, REPLAY or REPORT tasks with the command configured for the operation, its
 * placeholders filled from the task's input, and reports the file it produces.
 */
public final class TemplateExecutor implements TaskExecutor {

    private final Operation operation;
    private final CommandTemplate template;
    private final ProcessRunner runner;

    public TemplateExecutor(Operation operation, CommandTemplate template, ProcessRunner runner) {
        if (operation != Operation.TRACE && operation != Operation.REPLAY && operation != Operation.REPORT) {
            throw new IllegalArgumentException("no command template for " + operation);
        }
        if (template.argv().isEmpty()) {
            throw new IllegalArgumentException("the " + operation + " command template is empty");
        }
        this.operation = operation;
        this.template = template;
        this.runner = runner;
    }

    @Override
    public Operation operation() {
        return operation;
    }

    @Override
    public Outcome execute(Attempt attempt, Path workDir) {
        return runner.run(command(attempt.task(), workDir), attempt, workDir);
    }

    private Command command(Task task, Path workDir) {
        Map<String, String> values = values(task, workDir);
        Placeholders commandValues = new Placeholders(values, operation + " command");
        Placeholders outputValues = new Placeholders(values, operation + " output");
        return new Command(
                template.argv().stream().map(commandValues::fill).toList(),
                Map.of(),
                template.timeout(),
                template.retryStrings(),
                typedOutput(outputValues.fill(template.output())));
    }

    /** Every placeholder the operation knows, with its value for this task. */
    private Map<String, String> values(Task task, Path workDir) {
        Map<String, String> values = new HashMap<>();
        values.put("workdir", workDir.toString());
        values.put("target_serial", task.getTargetSerial());
        values.put("target_id", task.getTargetId());
        values.put("action_id", task.getActionId());
        values.put("attempt", Integer.toString(task.getAttempt()));
        ActionInput input = task.getInput();
        switch (operation) {
            case TRACE -> {
                TraceInput trace = expect(input, ActionInput.KindCase.TRACE).getTrace();
                values.put("subject", trace.getSubject());
                values.put("api", trace.getApi());
                values.put("duration_seconds", Integer.toString(trace.getDurationSeconds()));
                trace.getParamsMap().forEach((key, value) -> values.put("params." + key, value));
            }
            case REPLAY -> {
                ReplayInput replay = expect(input, ActionInput.KindCase.REPLAY).getReplay();
                values.put("trace", replay.getTrace());
                values.put("api", replay.getApi());
                values.put("gapir_device", replay.getGapirDevice());
                replay.getParamsMap().forEach((key, value) -> values.put("params." + key, value));
            }
            default -> {
                ReportInput report = expect(input, ActionInput.KindCase.REPORT).getReport();
                values.put("trace", report.getTrace());
                values.put("api", report.getApi());
                values.put("gapir_device", report.getGapirDevice());
                report.getParamsMap().forEach((key, value) -> values.put("params." + key, value));
            }
        }
        return values;
    }

    private ActionInput expect(ActionInput input, ActionInput.KindCase kind) {
        if (input.getKindCase() != kind) {
            throw new InvalidTaskException(
                    "a " + operation + " task needs a " + kind + " input, not " + input.getKindCase());
        }
        return input;
    }

    private ActionOutput typedOutput(String path) {
        ActionOutput.Builder output = ActionOutput.newBuilder();
        switch (operation) {
            case TRACE -> output.setTrace(TraceOutput.newBuilder().setTrace(path));
            case REPLAY -> output.setReplay(ReplayOutput.newBuilder().setVideo(path));
            default -> output.setReport(ReportOutput.newBuilder().setReport(path));
        }
        return output.build();
    }
}
