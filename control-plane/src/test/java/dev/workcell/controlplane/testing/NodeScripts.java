package dev.workcell.controlplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node scripts of {@code src/test/node} (third-party clients), first installing their
 * locked dependencies with {@code npm ci} when they are missing or older than the lock file.
 */
public final class NodeScripts {

    static final Path DIR = Path.of("src", "test", "node");

    private NodeScripts() {}

    /** Runs {@code node <script> <arguments>} and returns its standard output; fails on a non-zero exit. */
    public static String run(Duration timeout, String script, String... arguments) {
        install();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(arguments));
        return execute(command, timeout, Path.of("target", script));
    }

    private static synchronized void install() {
        Path installed = DIR.resolve("node_modules").resolve(".package-lock.json");
        try {
            if (Files.exists(installed)
                    && !Files.getLastModifiedTime(installed)
                            .toInstant()
                            .isBefore(Files.getLastModifiedTime(DIR.resolve("package-lock.json"))
                                    .toInstant())) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        execute(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5), Path.of("target", "npm-ci"));
    }

    /** Runs a command in {@link #DIR}, its output in {@code <name>.out} and {@code <name>.err}; returns the output. */
    private static String execute(List<String> command, Duration timeout, Path name) {
        Path stdout = Path.of(name + ".out");
        Path stderr = Path.of(name + ".err");
        try {
            Files.createDirectories(stderr.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .directory(DIR.toFile())
                    .redirectOutput(stdout.toAbsolutePath().toFile())
                    .redirectError(stderr.toAbsolutePath().toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                        + Files.readString(stderr));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
