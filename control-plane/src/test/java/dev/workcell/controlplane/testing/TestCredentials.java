package dev.workcell.controlplane.testing;

import static io.restassured.RestAssured.given;

import dev.workcell.proto.v1.AgentServiceGrpc;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.EnrollRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials tests use: the admin token every test control plane bootstraps with (see
 * application.properties and {@link ControlPlaneProcess}), and enrollment tokens and agent
 * credentials obtained through the real API, one set per control-plane port.
 */
public final class TestCredentials {

    /** Test-only bootstrap admin secret; the control planes of tests start with it. */
    public static final String ADMIN = "wct_test-admin-token-for-tests-only-0123456789";

    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** The pool test agents enroll in unless a test names another. */
    public static final String POOL = "tests";

    private static final Map<String, String> ENROLLMENT_TOKENS = new ConcurrentHashMap<>();
    private static final Map<String, String> AGENT_CREDENTIALS = new ConcurrentHashMap<>();
    private static final Set<String> REVOKED_EARLIER = ConcurrentHashMap.newKeySet();
    /** Tells this test run's agent credential files from earlier runs' (a work dir outlives a run). */
    public static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private TestCredentials() {}

    public static String bearer(String secret) {
        return "Bearer " + secret;
    }

    public static Metadata headers(String secret) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, bearer(secret));
        return headers;
    }

    /** Revokes the agents of a host name left by earlier runs, once per port and host in this run. */
    public static void revokeEarlierEnrollments(int port, String hostName) {
        if (!REVOKED_EARLIER.add(port + "/" + hostName)) {
            return;
        }
        List<String> ids = given().port(port)
                .header("Authorization", bearer(ADMIN))
                .get("/api/v1/agents")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.hostName == '" + hostName + "' && it.revokedAt == null }.id", String.class);
        ids.forEach(id -> given().port(port)
                .header("Authorization", bearer(ADMIN))
                .delete("/api/v1/agents/" + id)
                .then()
                .statusCode(200));
    }

    /** A reusable enrollment token of the control plane on this port, created once with the admin token. */
    public static String enrollmentToken(int port) {
        return enrollmentToken(port, POOL);
    }

    /** A reusable enrollment token for a pool of the control plane on this port, created once with the admin token. */
    public static String enrollmentToken(int port, String pool) {
        return ENROLLMENT_TOKENS.computeIfAbsent(
                port + "/" + pool,
                ignored -> given().port(port)
                        .header("Authorization", bearer(ADMIN))
                        .contentType(ContentType.JSON)
                        .body("{\"pool\": \"" + pool + "\", \"reusable\": true, \"expiresInSeconds\": 86400}")
                        .post("/api/v1/enrollment-tokens")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("secret"));
    }

    /**
     * The credential of an agent of this host, enrolled once per control-plane port and test run.
     * An enrollment of the same host by an earlier run (a database kept between runs) is revoked
     * first, as an operator would before re-installing an agent.
     */
    public static String agentCredential(int port, Device host) {
        return agentCredential(port, host, POOL);
    }

    /** The credential of an agent of this host enrolled in a pool (the pool of its first enrollment in this run). */
    public static String agentCredential(int port, Device host, String pool) {
        return AGENT_CREDENTIALS.computeIfAbsent(port + "/" + host.getSerial() + "/" + host.getName(), ignored -> {
            revokeEarlierEnrollments(port, host.getName().isEmpty() ? host.getSerial() : host.getName());
            ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port)
                    .usePlaintext()
                    .build();
            try {
                return AgentServiceGrpc.newBlockingStub(channel)
                        .enroll(EnrollRequest.newBuilder()
                                .setEnrollmentToken(enrollmentToken(port, pool))
                                .setHost(host)
                                .build())
                        .getCredential();
            } finally {
                channel.shutdownNow();
            }
        });
    }
}
