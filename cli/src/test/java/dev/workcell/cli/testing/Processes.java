package dev.workcell.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What the process fixtures share: free ports, the JVM to start, waiting for a line in a log file, stopping. */
public final class Processes {

    private Processes() {}

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits until {@code log} contains {@code text}; fails at once, with the log, when the process died. */
    public static void awaitLog(Process process, Path log, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!read(log).contains(text)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the process exited with " + process.exitValue() + " before '" + text + "':\n" + read(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no '" + text + "' after " + timeout + ":\n" + read(log));
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then SIGKILL if it does not stop within 15 s. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
