package dev.workcell.agent.artifact;

import dev.workcell.agent.outbox.Outbox;
import dev.workcell.agent.outbox.SpooledResult;
import dev.workcell.proto.v1.ActionOutput;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.TaskUpdate;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Uploads the output files a spooled result still holds, forgetting each once the control plane has
 * it; when the control plane refuses one, the result is rewritten as an AGENT_ERROR failure that says why.
 */
public final class ResultUploads {

    private static final Logger LOG = Logger.getLogger(ResultUploads.class);

    private final Outbox outbox;
    private final ArtifactUploader uploader;

    public ResultUploads(Outbox outbox, ArtifactUploader uploader) {
        this.outbox = outbox;
        this.uploader = uploader;
    }

    /**
     * Uploads what is left of the result's files, in the order of its artifacts.
     *
     * @throws ArtifactException (retryable) when an upload broke: try again later, it resumes where it stopped
     * @throws InterruptedException when the agent stops meanwhile
     */
    public void upload(SpooledResult result) throws InterruptedException {
        Set<String> done = new HashSet<>();
        for (Artifact artifact : result.update().getOutput().getArtifactsList()) {
            Optional<Path> blob =
                    done.add(artifact.getSha256()) ? outbox.blob(result, artifact.getSha256()) : Optional.empty();
            if (blob.isEmpty()) {
                continue;
            }
            try {
                uploader.upload(blob.get(), artifact);
            } catch (ArtifactException failure) {
                if (failure.retryable()) {
                    throw failure;
                }
                refused(result, failure.getMessage());
                return;
            }
            outbox.uploaded(result, artifact.getSha256());
        }
    }

    /** Fails the attempt with the refusal, keeping only the artifacts already uploaded. */
    private void refused(SpooledResult result, String refusal) {
        TaskUpdate update = result.update();
        LOG.warnf("attempt %s#%d fails: %s", update.getActionId(), update.getAttempt(), refusal);
        ActionOutput.Builder output = update.getOutput().toBuilder().clearArtifacts();
        Set<String> uploaded = new HashSet<>();
        for (Artifact artifact : update.getOutput().getArtifactsList()) {
            if (outbox.blob(result, artifact.getSha256()).isEmpty()) {
                output.addArtifacts(artifact);
                uploaded.add(artifact.getSha256());
            }
        }
        String typed = TypedOutput.of(update.getOutput());
        if (typed.startsWith(ArtifactReferences.PREFIX)
                && !uploaded.contains(typed.substring(ArtifactReferences.PREFIX.length()))) {
            TypedOutput.set(output, "");
        }
        outbox.replace(update.toBuilder()
                .setStatus(ActionStatus.FAILED)
                .setFailure(FailureClass.AGENT_ERROR)
                .setError(refusal)
                .setOutput(output)
                .build());
    }
}
