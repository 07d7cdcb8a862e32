package dev.workcell.agent.task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** Gives each attempt a fresh working directory, {@code <root>/<action_id>-<attempt>}, and removes it afterwards unless told to keep it. */
public final class WorkDirs {

    private static final Logger LOG = Logger.getLogger(WorkDirs.class);
    private static final Pattern SAFE_ACTION_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final Path root;
    private final boolean keep;

    public WorkDirs(Path root, boolean keep) {
        this.root = root.toAbsolutePath();
        this.keep = keep;
    }

    /** Where the attempt's directory goes. */
    public Path path(AttemptKey key) {
        if (!SAFE_ACTION_ID.matcher(key.actionId()).matches() || key.actionId().startsWith(".")) {
            throw new InvalidTaskException("action id '" + key.actionId() + "' cannot name a working directory");
        }
        return root.resolve(key.actionId() + "-" + key.attempt());
    }

    /** Creates the attempt's directory, empty: a leftover from an earlier run of the agent is removed first. */
    public Path create(Path dir) throws IOException {
        deleteTree(dir);
        return Files.createDirectories(dir);
    }

    /** Removes the attempt's directory, unless work dirs are kept; a failure is logged, not thrown. */
    public void remove(Path dir) {
        if (keep) {
            return;
        }
        try {
            deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("could not remove work dir %s: %s", dir, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
