package dev.workcell.controlplane.testing;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Server-Sent Events stream of the REST API, read on its own thread: its {@code data:} lines, in order. */
public final class SseLines implements AutoCloseable {

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<InputStream>> response;

    public SseLines(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + Api.testPort() + pathAndQuery))
                .header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN))
                .build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(response.get().body(), StandardCharsets.UTF_8))) {
                        in.lines().filter(line -> line.startsWith("data:")).forEach(lines::add);
                    } catch (Exception e) {
                        lines.add("error: " + e);
                    }
                },
                "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next data line, or null if none came within the timeout. */
    public String next(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next data line that contains the text, or null if none came within the timeout. */
    public String nextContaining(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String line = next(timeout);
                line != null;
                line = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            if (line.contains(text)) {
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(answer -> {
            try {
                answer.body().close();
            } catch (java.io.IOException ignored) {
                // already closed
            }
        });
    }
}
