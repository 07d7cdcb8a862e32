package dev.workcell.agent.artifact;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files in a working directory that match an operation's output patterns: globs relative to the
 * directory ("*.gfxtrace" at the top, "**&#47;*.png" anywhere below), regular files only, symbolic
 * links not followed, in name order.
 */
final class OutputFiles {

    private final List<PathMatcher> matchers;

    OutputFiles(List<String> patterns) {
        FileSystem files = FileSystems.getDefault();
        this.matchers = patterns.stream()
                .map(String::strip)
                .filter(pattern -> !pattern.isEmpty())
                .map(pattern -> files.getPathMatcher("glob:" + pattern))
                .toList();
    }

    List<Path> in(Path workDir) throws IOException {
        if (matchers.isEmpty()) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            return paths.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                    .filter(path -> matchers.stream().anyMatch(matcher -> matcher.matches(workDir.relativize(path))))
                    .sorted()
                    .toList();
        }
    }
}
