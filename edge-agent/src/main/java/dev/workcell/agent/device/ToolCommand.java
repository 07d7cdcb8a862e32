package dev.workcell.agent.device;

import dev.workcell.agent.process.CleanEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived probing tool (adb, nvidia-smi, lspci) under a time limit. Output goes to files,
 * not pipes, so a daemon the tool leaves behind (adb starts its server) cannot hold the read open;
 * tool and daemon get the agent's clean environment, not its credentials.
 */
final class ToolCommand {

    private ToolCommand() {}

    /** Runs the command to its end or its time limit; never throws. */
    static ToolOutput run(Duration timeout, List<String> argv) {
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile("workcell-probe-", ".out");
            stderr = Files.createTempFile("workcell-probe-", ".err");
            Process process = CleanEnvironment.apply(new ProcessBuilder(argv))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return ToolOutput.failed(String.join(" ", argv) + " took longer than " + timeout.toMillis() + " ms");
            }
            return new ToolOutput(process.exitValue(), text(stdout).lines().toList(), text(stderr));
        } catch (IOException e) {
            return ToolOutput.failed("cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ToolOutput.failed(argv.get(0) + " was interrupted");
        } finally {
            delete(stdout);
            delete(stderr);
        }
    }

    /** The file's text, without the carriage returns older adb versions add; bytes that are not UTF-8 become U+FFFD. */
    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace("\r", "");
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
