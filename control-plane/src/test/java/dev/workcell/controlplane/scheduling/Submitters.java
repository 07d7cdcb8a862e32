package dev.workcell.controlplane.scheduling;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;

import dev.workcell.controlplane.testing.Api;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** API tokens created for a test, each a submitter of its own, and submits made with them. */
final class Submitters {

    /** A new token: its id (what actions record as submittedBy) and its secret. */
    record Submitter(String id, String secret) {

        /** Submits an EXEC of {@code sh -c script} on a target as this token, with a priority when not null; returns the action id. */
        String submit(String target, String script, Integer priority) {
            return given().auth()
                    .oauth2(secret)
                    .contentType(ContentType.JSON)
                    .body(execBody(target, script, priority))
                    .post("/api/v1/actions")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("action.id");
        }
    }

    private Submitters() {}

    static Submitter create(String name, String role) {
        JsonPath created = given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + unique(name) + "\", \"role\": \"" + role + "\"}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Submitter(created.getString("token.id"), created.getString("secret"));
    }

    static String execBody(String target, String script, Integer priority) {
        return """
                {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["sh", "-c", %s]}}%s}""".formatted(target, Api.quote(script), priority == null ? "" : ", \"priority\": " + priority);
    }
}
