package dev.workcell.controlplane.web;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.workcell.controlplane.testing.AgentProcess;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.Chromium;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What the dashboard's browser tests share: a real agent serving one device, Debian's chromium, and API tokens of each role. */
abstract class DashboardFixture {

    /** The device the agent serves: a new one for each test class, so that classes do not see each other's. */
    static String target;

    static Chromium chromium;
    static AgentProcess agent;
    static String base;

    @BeforeAll
    static void start() {
        base = "http://localhost:" + Api.testPort();
        target = unique("dash-phone");
        agent = AgentProcess.start(unique("dash-host"), target, Api.testPort()).awaitRegistered();
        chromium = new Chromium();
        // live parts wait on a real agent's real processes
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    }

    @AfterAll
    static void stop() {
        chromium.close();
        agent.close();
    }

    /** A new API token of this role: its id and its secret. */
    record Token(String id, String secret) {}

    static Token newToken(String role) {
        var created = given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + unique("dash-" + role) + "\", \"role\": \"" + role + "\"}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Token(created.getString("token.id"), created.getString("secret"));
    }
}
