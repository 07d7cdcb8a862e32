package dev.workcell.controlplane.testing;

import static io.restassured.RestAssured.given;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;

/** The management interface (health, metrics, info) as a test reads it: anonymous, on its own port. */
public final class Management {

    private Management() {}

    /** The management port of the application under a @QuarkusTest (quarkus.management.test-port). */
    public static int testPort() {
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class)
                .orElse(9001);
    }

    /** An anonymous request to the management interface on a port. */
    public static RequestSpecification on(int port) {
        return given().auth().none().port(port);
    }

    /** Every sample of a Prometheus scrape: "name{label="value",...}" (labels as written) to its value. */
    public static Map<String, Double> samples(int port) {
        String text =
                on(port).get("/q/metrics").then().statusCode(200).extract().asString();
        return Arrays.stream(text.split("\n"))
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .collect(Collectors.toMap(
                        line -> line.substring(0, line.lastIndexOf(' ')),
                        line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                        (a, b) -> b));
    }

    /**
     * The sum of a metric's samples whose labels include all these (pairs like {@code status="FAILED"});
     * 0 when there is none yet.
     */
    public static double value(Map<String, Double> samples, String name, String... labels) {
        return samples.entrySet().stream()
                .filter(sample ->
                        sample.getKey().equals(name) || sample.getKey().startsWith(name + "{"))
                .filter(sample ->
                        Arrays.stream(labels).allMatch(label -> sample.getKey().contains(label)))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** What grpc.health.v1.Health answers for a service ("" for the whole server), over a new plaintext channel. */
    public static ServingStatus grpcHealth(int apiPort, String service) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", apiPort)
                .usePlaintext()
                .build();
        try {
            return HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build())
                    .getStatus();
        } finally {
            channel.shutdownNow();
        }
    }

    /** The highest V<n> of the migrations shipped with the control plane: what /q/info must say once it started. */
    public static String latestMigration() {
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max(Comparator.naturalOrder())
                    .map(String::valueOf)
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
