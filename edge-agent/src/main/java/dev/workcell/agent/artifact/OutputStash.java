package dev.workcell.agent.artifact;

import dev.workcell.agent.outbox.Outbox;
import dev.workcell.agent.outbox.Staging;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.Task;
import dev.workcell.proto.v1.TaskUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Keeps an attempt's final update in the outbox before anything is sent, together with the files it
 * produced (those matching its operation's output patterns, and the one its typed output names),
 * each named by SHA-256 and listed in the output's artifacts; the typed output then says
 * "artifact:&lt;sha256&gt;". A cancelled attempt keeps no files.
 */
public final class OutputStash {

    private static final Logger LOG = Logger.getLogger(OutputStash.class);

    private final Outbox outbox;
    private final Map<Operation, OutputFiles> outputs;

    /**
     * @param patterns output globs of each operation, relative to the attempt's working directory
     */
    public OutputStash(Outbox outbox, Map<Operation, List<String>> patterns) {
        this.outbox = outbox;
        this.outputs = patterns.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> new OutputFiles(entry.getValue())));
    }

    /**
     * Spools the final update, with the output files found in the working directory, if any.
     *
     * @return the update as it will be delivered
     * @throws UncheckedIOException when the outbox cannot be written
     */
    public TaskUpdate keep(Task task, TaskUpdate update, Optional<Path> workDir) {
        try (Staging staging = outbox.stage()) {
            TaskUpdate kept = workDir.isPresent() && update.getStatus() != ActionStatus.CANCELLED
                    ? withOutputs(task, update, workDir.get(), staging)
                    : update;
            staging.commit(kept);
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the result of " + update.getActionId() + "#" + update.getAttempt() + " to the outbox "
                            + outbox.dir() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Drops the attempt's result: the control plane does not want it. */
    public void forget(String actionId, int attempt) {
        outbox.remove(actionId, attempt);
    }

    private TaskUpdate withOutputs(Task task, TaskUpdate update, Path workDir, Staging staging) {
        String named = TypedOutput.of(update.getOutput());
        Optional<Path> typed = named.isBlank()
                ? Optional.empty()
                : Optional.of(workDir.resolve(named)).filter(Files::isRegularFile);
        Set<String> inputs =
                task.getInputsList().stream().map(Artifact::getSha256).collect(Collectors.toSet());
        ActionOutput.Builder output = update.getOutput().toBuilder();
        try {
            Set<Path> files = new LinkedHashSet<>(outputs.getOrDefault(task.getOperation(), new OutputFiles(List.of()))
                    .in(workDir));
            typed.ifPresent(files::add);
            for (Path file : files) {
                String sha256 = Sha256.of(file);
                boolean isTyped = typed.filter(file::equals).isPresent();
                if (isTyped) {
                    TypedOutput.set(output, ArtifactReferences.PREFIX + sha256);
                }
                if (isTyped || !inputs.contains(sha256)) {
                    staging.add(file, sha256);
                    output.addArtifacts(artifact(workDir, file, sha256));
                }
            }
        } catch (IOException e) {
            LOG.warnf("attempt %s#%d: cannot keep its output files: %s", update.getActionId(), update.getAttempt(), e);
            return update.toBuilder()
                    .setStatus(ActionStatus.FAILED)
                    .setFailure(FailureClass.AGENT_ERROR)
                    .setError("cannot keep the output files of the attempt: " + e.getMessage())
                    .build();
        }
        return update.toBuilder().setOutput(output).build();
    }

    private static Artifact artifact(Path workDir, Path file, String sha256) throws IOException {
        String name = file.startsWith(workDir)
                ? workDir.relativize(file).toString()
                : file.getFileName().toString();
        return Artifact.newBuilder()
                .setSha256(sha256)
                .setName(name)
                .setSize(Files.size(file))
                .setContentType(ContentTypes.of(name))
                .build();
    }
}
