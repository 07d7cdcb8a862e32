package dev.workcell.cli.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The user's launcher, {@code cli/workcell} (which runs target/workcell.jar), as a child process with
 * its own config directory (XDG_CONFIG_HOME) and environment: none of the caller's WORKCELL_* variables.
 */
public final class Cli {

    /** What a run left: its exit code and everything it printed. */
    public record Result(int exitCode, String out, String err) {

        public JsonElement json() {
            return JsonParser.parseString(out);
        }

        public List<JsonObject> jsonLines() {
            return out.lines()
                    .filter(line -> !line.isBlank())
                    .map(line -> JsonParser.parseString(line).getAsJsonObject())
                    .toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The launcher, relative to the cli module (where the tests run). */
    public static final Path LAUNCHER = Path.of("workcell").toAbsolutePath();

    private final Path configHome;
    private final Map<String, String> environment;

    public Cli(Path configHome, Map<String, String> environment) {
        this.configHome = configHome;
        this.environment = environment;
    }

    /** A CLI with a fresh, empty config directory. */
    public static Cli fresh(Map<String, String> environment) {
        try {
            return new Cli(Files.createTempDirectory("cli-test-config-"), environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path configHome() {
        return configHome;
    }

    /** The same config directory with more (or other) environment. */
    public Cli with(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(environment);
        merged.putAll(more);
        return new Cli(configHome, merged);
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    public Result runWithInput(String stdin, String... args) {
        try {
            Path in = Files.createTempFile("cli-in-", ".txt");
            Path out = Files.createTempFile("cli-out-", ".txt");
            Path err = Files.createTempFile("cli-err-", ".txt");
            Files.writeString(in, stdin);
            Process process = builder(args)
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("workcell " + String.join(" ", args) + " did not end in 180 s:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts it in the background, stdout and stderr into files (for commands that run until stopped).
     * SIGINT is reset to its default first: a build started without job control (e.g. with {@code &}
     * from a script) ignores it, the JVM inherits that, and a test could not interrupt the command.
     */
    public Process start(Path out, Path err, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(command(args));
        try {
            return builder(command)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line and environment of a run, e.g. for a terminal multiplexer. */
    public List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return command;
    }

    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(name -> name.startsWith("WORKCELL_"));
        env.put("XDG_CONFIG_HOME", configHome.toString());
        env.put("JAVA", Processes.java());
        env.putAll(environment);
        return env;
    }

    private ProcessBuilder builder(String... args) {
        return builder(command(args));
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment());
        return builder;
    }
}
