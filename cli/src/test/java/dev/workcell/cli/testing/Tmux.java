package dev.workcell.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real terminal for the CLI: a tmux server of its own (its own socket, removed after) running one command in a
 * window of a given size; the test reads the screen as a person would see it, and types keys.
 */
public final class Tmux implements AutoCloseable {

    private final Path socket;

    /**
     * Runs {@code command} with exactly {@code environment} in a {@code columns} x {@code rows}
     * window; when it ends the window shows "EXIT=<code>" and stays.
     */
    public Tmux(List<String> command, Map<String, String> environment, int columns, int rows) {
        try {
            socket = Files.createTempDirectory("cli-test-tmux-").resolve("socket");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String env = environment.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + quote(entry.getValue()))
                .collect(Collectors.joining(" "));
        String line = command.stream().map(Tmux::quote).collect(Collectors.joining(" "));
        tmux(
                "new-session",
                "-d",
                "-x",
                Integer.toString(columns),
                "-y",
                Integer.toString(rows),
                "env -i " + env + " " + line + "; echo EXIT=$?; sleep 600");
    }

    /** The screen, one string per line, trailing blanks cut. */
    public List<String> screen() {
        return tmux("capture-pane", "-p").lines().map(String::stripTrailing).toList();
    }

    public String screenText() {
        return String.join("\n", screen());
    }

    /** Whether the terminal shows its cursor. */
    public boolean cursorVisible() {
        return tmux("display-message", "-p", "#{cursor_flag}").trim().equals("1");
    }

    public void keys(String... keys) {
        List<String> arguments = new ArrayList<>(List.of("send-keys"));
        arguments.addAll(List.of(keys));
        tmux(arguments.toArray(String[]::new));
    }

    @Override
    public void close() {
        tmux("kill-server");
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tmux(String... arguments) {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0 && !arguments[0].equals("kill-server")) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
