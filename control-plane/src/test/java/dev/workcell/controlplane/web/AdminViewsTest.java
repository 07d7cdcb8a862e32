package dev.workcell.controlplane.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.workcell.controlplane.testing.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.workcell.controlplane.testing.BrowserPage;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Admin view in a real browser: changes made on the page take effect in the API, and only an admin may make them. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AdminViewsTest extends DashboardFixture {

    @Test
    void anAdminCreatesATokenOnThePageRevokesItThereAndTheTokenStopsWorking() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/admin");
            String name = unique("page-token");
            page.locator("#token-name").fill(name);
            page.locator("#token-role").selectOption("viewer");
            page.locator("#create-token").click();
            String secret = page.locator("#new-token-secret").textContent();
            given().auth()
                    .oauth2(secret)
                    .get("/api/v1/whoami")
                    .then()
                    .statusCode(200)
                    .body("name", equalTo(name));

            Locator row = page.locator("#token-rows tr", new Page.LocatorOptions().setHasText(name));
            String tokenId = row.getAttribute("id").substring("token-".length());
            page.onceDialog(dialog -> dialog.accept());
            row.locator("button.revoke").click();
            assertThat(page.locator("#token-" + tokenId + " button.revoke")).hasCount(0);
            assertThat(page.locator("#new-token-secret")).hasCount(0); // the secret is shown once
            // refused as a token that never existed is, after this browser's sign-in as well
            for (String refused : List.of(secret, "wct_no-such-token")) {
                given().auth()
                        .oauth2(refused)
                        .get("/api/v1/whoami")
                        .then()
                        .statusCode(401)
                        .body("error", containsString("unknown, expired or revoked credential"));
            }

            assertThat(auditKindsOf(tokenId)).containsExactly("token.revoked", "token.created");
            page.navigate("/admin");
            assertThat(page.locator("#audit-rows")).containsText(tokenId);
            browser.screenshot("admin");
        }
    }

    @Test
    void anAdminCreatesAndRevokesAnEnrollmentTokenOnThePage() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/admin");
            String pool = unique("page-pool");
            page.locator("#enrollment-pool").fill(pool);
            page.locator("#create-enrollment-token").click();
            assertThat(page.locator("#new-enrollment-secret")).hasText(java.util.regex.Pattern.compile("\\S{20,}"));
            Map<String, Object> created = enrollmentTokenOf(pool);
            assertThat(created.get("revokedAt")).isNull();

            page.onceDialog(dialog -> dialog.accept());
            page.locator("#enrollment-" + created.get("id") + " button.revoke").click();
            assertThat(page.locator("#enrollment-" + created.get("id") + " button.revoke"))
                    .hasCount(0);
            assertThat(enrollmentTokenOf(pool).get("revokedAt")).isNotNull();
            assertThat(auditKindsOf((String) created.get("id")))
                    .containsExactly("enrollment-token.revoked", "enrollment-token.created");
        }
    }

    @Test
    void aBadTokenNameIsShownOnThePageAndCreatesNothing() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/admin");
            int before = tokenNames().size();
            page.locator("#token-name").fill("-starts with a dash");
            page.locator("#create-token").click();
            assertThat(page.locator("#tokens-error")).containsText("name");
            assertThat(page.locator("#new-token-secret")).hasCount(0);
            assertThat(tokenNames()).hasSize(before);
        }
    }

    @Test
    void aViewerIsRefusedTheAdminPageAndForgedAdminPostsAndSeesNoAdminLink() {
        Token viewer = newToken("viewer");
        try (BrowserPage browser = chromium.open(base).signIn(viewer.secret())) {
            Page page = browser.page();
            page.navigate("/");
            assertThat(page.locator("nav a[href='/admin']")).hasCount(0);
            String csrf = page.locator("meta[name=csrf-token]").getAttribute("content");
            String name = unique("forged");

            APIResponse adminPage = browser.context().request().get("/admin");
            APIResponse create = browser.context()
                    .request()
                    .post(
                            "/admin/tokens",
                            RequestOptions.create()
                                    .setHeader(CsrfCheck.HEADER, csrf)
                                    .setForm(FormData.create().set("name", name).set("role", "admin")));
            APIResponse revoke = browser.context()
                    .request()
                    .post(
                            "/admin/tokens/" + viewer.id() + "/revoke",
                            RequestOptions.create().setHeader(CsrfCheck.HEADER, csrf));

            assertThat(adminPage.status()).isEqualTo(403);
            assertThat(create.status()).isEqualTo(403);
            assertThat(revoke.status()).isEqualTo(403);
            assertThat(tokenNames()).doesNotContain(name);
            given().auth().oauth2(viewer.secret()).get("/api/v1/whoami").then().statusCode(200);
        }
    }

    @Test
    void anAdminPostWithoutTheSessionsCsrfTokenIsRefused() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            browser.page().navigate("/admin");
            String name = unique("no-csrf");
            APIResponse create = browser.context()
                    .request()
                    .post(
                            "/admin/tokens",
                            RequestOptions.create()
                                    .setForm(FormData.create().set("name", name).set("role", "admin")));
            APIResponse wrong = browser.context()
                    .request()
                    .post(
                            "/admin/tokens",
                            RequestOptions.create()
                                    .setHeader(CsrfCheck.HEADER, "not-this-sessions-token")
                                    .setForm(FormData.create().set("name", name).set("role", "admin")));
            assertThat(create.status()).isEqualTo(403);
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(tokenNames()).doesNotContain(name);
        }
    }

    static List<String> tokenNames() {
        return given().get("/api/v1/tokens")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("name");
    }

    static Map<String, Object> enrollmentTokenOf(String pool) {
        List<Map<String, Object>> tokens = given().get("/api/v1/enrollment-tokens")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.pool == '" + pool + "' }");
        assertThat(tokens).hasSize(1);
        return tokens.get(0);
    }

    /** The audit rows about a subject, newest first, by kind. */
    static List<String> auditKindsOf(String subject) {
        return given().queryParam("limit", 1000)
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.subject == '" + subject + "' }.kind");
    }
}
