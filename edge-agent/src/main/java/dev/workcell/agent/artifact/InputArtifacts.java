package dev.workcell.agent.artifact;

import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.Task;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Puts the artifacts a task's input refers to into its working directory before it runs, each
 * under its own name, and rewrites the input to use their local paths.
 */
public final class InputArtifacts {

    private final ArtifactDownloader downloader;

    public InputArtifacts(ArtifactDownloader downloader) {
        this.downloader = downloader;
    }

    /**
     * Downloads the task's inputs into the directory.
     *
     * @param cancellation completing it stops the downloads
     * @return the task, its input's "artifact:&lt;sha256&gt;" references replaced by the files' paths
     * @throws ArtifactException when an input cannot be fetched
     */
    public Task fetch(Task task, Path workDir, CompletableFuture<?> cancellation) throws InterruptedException {
        if (task.getInputsCount() == 0) {
            return task;
        }
        Map<String, String> paths = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (Artifact input : task.getInputsList()) {
            if (!Sha256.isValid(input.getSha256())) {
                throw new ArtifactException(
                        "input artifact '" + input.getName() + "' has no valid SHA-256: '" + input.getSha256() + "'",
                        false,
                        null);
            }
            if (!paths.containsKey(input.getSha256())) {
                Path file = workDir.toAbsolutePath().resolve(localName(input, names));
                downloader.download(input, file, cancellation);
                paths.put(input.getSha256(), file.toString());
            }
        }
        return task.toBuilder()
                .setInput(ArtifactReferences.localize(task.getInput(), paths))
                .build();
    }

    /** The input's name without directories; its SHA-256 when it has none usable, prefixed by it when taken. */
    private static String localName(Artifact input, Set<String> taken) {
        String name =
                input.getName().substring(input.getName().lastIndexOf('/') + 1).strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            name = input.getSha256();
        }
        if (!taken.add(name)) {
            name = input.getSha256().substring(0, 12) + "-" + name;
            taken.add(name);
        }
        return name;
    }
}
