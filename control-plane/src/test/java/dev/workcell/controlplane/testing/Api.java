package dev.workcell.controlplane.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/** The REST API as a test uses it: submit, read, wait. */
public final class Api {

    private Api() {}

    /** Submits an EXEC of {@code sh -c script} on a target and returns the action id. */
    public static String submitShell(String target, String script) {
        return submit("""
                {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["sh", "-c", %s]}}}""".formatted(target, quote(script)));
    }

    public static String submit(String json) {
        return given().contentType(ContentType.JSON)
                .body(json)
                .when()
                .post("/api/v1/actions")
                .then()
                .statusCode(201)
                .extract()
                .path("action.id");
    }

    public static JsonPath action(String id) {
        return given().when()
                .get("/api/v1/actions/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The action's history, oldest first: each event as a map (seq, attempt, from, to, reason, worker, at). */
    public static List<Map<String, Object>> events(String id) {
        return given().when()
                .get("/api/v1/actions/" + id + "/events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("events");
    }

    /** Polls until the action reaches one of the statuses; returns it. */
    public static JsonPath awaitStatus(String id, Set<String> statuses, Duration timeout) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        try {
            return await().atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () -> {
                                last.set(action(id));
                                return last.get();
                            },
                            action -> statuses.contains(action.getString("status")));
        } catch (ConditionTimeoutException timedOut) {
            throw new AssertionError("action " + id + " is " + last.get().getString("status") + ", not " + statuses
                    + " after " + timeout + ": " + last.get().prettify());
        }
    }

    public static JsonPath awaitStatus(String id, String status) {
        return awaitStatus(id, Set.of(status), Duration.ofSeconds(30));
    }

    /** The kinds of the audit rows about this subject (a device, token, agent id), newest first. */
    public static List<String> auditKindsOf(String subject) {
        return given().get("/api/v1/audit?limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.subject == '" + subject + "' }.kind", String.class);
    }

    /** The id of the device registered with this name. */
    public static String deviceId(String name) {
        return given().get("/api/v1/devices")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("devices.find { it.name == '" + name + "' }.id");
    }

    /** The workers of a host as the workers list shows them (id, target, live, lastSeen, ...). */
    public static List<Map<String, Object>> workersOfHost(String hostId) {
        return given().get("/api/v1/workers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("workers.findAll { it.host == '" + hostId + "' }");
    }

    /** The port of the application under a @QuarkusTest: quarkus.http.test-port, so that runs side by side can move it. */
    public static int testPort() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.test-port", Integer.class)
                .orElse(8081);
    }

    /** A name no earlier test used, so that tests sharing a database do not see each other's devices. */
    public static String unique(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    public static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
