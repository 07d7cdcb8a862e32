package dev.workcell.controlplane.security;

import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.AppDatabase;
import dev.workcell.controlplane.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Client and enrollment tokens are created and revoked in one transaction with their audit row:
 * when the audit row cannot be written, nothing is created or revoked.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuditedAdminChangesTest {

    @Test
    void aClientTokenIsNotCreatedOrRevokedWithoutItsAuditRow() throws Exception {
        String name = unique("audited-token");
        try (AutoCloseable refused = AppDatabase.refuseAuditRowsOf("%name " + name + "%", "refuse_token_audit")) {
            given().contentType(ContentType.JSON)
                    .body("{\"name\": \"" + name + "\", \"role\": \"viewer\"}")
                    .post("/api/v1/tokens")
                    .then()
                    .statusCode(500);
        }
        assertThat(AppDatabase.number("SELECT count(*) FROM api_tokens WHERE name = ?", name))
                .isZero();

        String id = given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"role\": \"viewer\"}")
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token.id");
        try (AutoCloseable refused = AppDatabase.refuseAuditRowsOf(id, "refuse_token_audit")) {
            given().delete("/api/v1/tokens/" + id).then().statusCode(500);
        }
        assertThat(AppDatabase.number("SELECT count(*) FROM api_tokens WHERE id = ? AND revoked_at IS NULL", id))
                .isEqualTo(1);

        given().delete("/api/v1/tokens/" + id).then().statusCode(200);
        assertThat(Api.auditKindsOf(id)).containsExactly("token.revoked", "token.created");
    }

    @Test
    void anEnrollmentTokenIsNotCreatedOrRevokedWithoutItsAuditRow() throws Exception {
        String pool = unique("audited-pool");
        try (AutoCloseable refused = AppDatabase.refuseAuditRowsOf("%pool " + pool + "%", "refuse_enrollment_audit")) {
            given().contentType(ContentType.JSON)
                    .body("{\"pool\": \"" + pool + "\", \"labels\": [\"a\"]}")
                    .post("/api/v1/enrollment-tokens")
                    .then()
                    .statusCode(500);
        }
        assertThat(AppDatabase.number("SELECT count(*) FROM enrollment_tokens WHERE pool = ?", pool))
                .isZero();

        String id = given().contentType(ContentType.JSON)
                .body("{\"pool\": \"" + pool + "\", \"labels\": [\"a\", \"b\"]}")
                .post("/api/v1/enrollment-tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token.id");
        try (AutoCloseable refused = AppDatabase.refuseAuditRowsOf(id, "refuse_enrollment_audit")) {
            given().delete("/api/v1/enrollment-tokens/" + id).then().statusCode(500);
        }
        assertThat(AppDatabase.number("SELECT count(*) FROM enrollment_tokens WHERE id = ? AND revoked_at IS NULL", id))
                .isEqualTo(1);

        given().delete("/api/v1/enrollment-tokens/" + id).then().statusCode(200);
        assertThat(given().get("/api/v1/enrollment-tokens")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("find { it.id == '" + id + "' }.labels", String.class))
                .containsExactly("a", "b");
        assertThat(Api.auditKindsOf(id)).containsExactly("enrollment-token.revoked", "enrollment-token.created");
    }
}
