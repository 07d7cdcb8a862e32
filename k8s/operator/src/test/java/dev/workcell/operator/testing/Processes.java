package dev.workcell.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged control plane and edge agent of the reactor as child processes, with their logs in files. */
public final class Processes {

    static final Path CONTROL_PLANE = Path.of("..", "..", "control-plane", "target", "quarkus-app", "quarkus-run.jar");
    static final Path EDGE_AGENT = Path.of("..", "..", "edge-agent", "target", "quarkus-app", "quarkus-run.jar");

    private Processes() {}

    /** Starts {@code java <options> -jar jar} with the environment, and waits until its log says {@code ready}. */
    static Process start(Path jar, List<String> options, Map<String, String> environment, Path log, String ready) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build with mvn -pl k8s/operator -am");
        }
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            awaitLog(process, log, ready, Duration.ofSeconds(120));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void awaitLog(Process process, Path log, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!read(log).contains(text)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the process exited with " + process.exitValue() + " before '" + text + "':\n" + read(log));
            }
            if (System.nanoTime() > deadline) {
                stop(process);
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

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then SIGKILL if it does not stop within 15 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
