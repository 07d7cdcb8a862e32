package dev.workcell.controlplane.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import dev.workcell.controlplane.testing.BrowserPage;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signing in to the dashboard in a real browser, against a real control plane and a real agent. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SignInTest extends DashboardFixture {

    static final String ID = "0".repeat(40);

    @Test
    void aPersonSentToSignInPastesATokenOnceAndLandsOnTheFleetWithTheAgentsDevice() {
        try (BrowserPage browser = chromium.open(base)) {
            Page page = browser.page();
            page.navigate("/");
            assertThat(page).hasURL(base + "/signin?next=%2F");
            browser.screenshot("signin");
            browser.signIn(TestCredentials.ADMIN);

            assertThat(page.locator("#fleet tr.device", new Page.LocatorOptions().setHasText(target))
                            .locator(".state"))
                    .hasText("online");
            assertThat(page.locator("nav a[href='/admin']")).isVisible();
            assertThat(page.locator("nav a[href='/grid']")).isVisible();
            browser.screenshot("fleet");
        }
    }

    /** Every dashboard route but the sign-in page itself ("METHOD path"). */
    static final List<String> PAGES = List.of(
            "GET /",
            "GET /actions",
            "GET /actions/live",
            "GET /actions/" + ID,
            "GET /actions/" + ID + "/live",
            "GET /actions/" + ID + "/log",
            "POST /actions/" + ID + "/cancel",
            "POST /actions/" + ID + "/retry",
            "GET /artifacts/" + "0".repeat(64));

    @Test
    void everyPageSendsAPersonWithoutASessionToSignInEvenWithABearerToken() {
        for (String page : PAGES) {
            String[] route = page.split(" ");
            for (String authorization : new String[] {null, "Bearer " + TestCredentials.ADMIN}) {
                var request = given().auth().none().redirects().follow(false);
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                request.request(route[0], route[1])
                        .then()
                        .statusCode(303)
                        .header("Location", org.hamcrest.Matchers.startsWith(base + "/signin?next="));
            }
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrictAndHoldsNoToken() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Cookie session = browser.cookies().stream()
                    .filter(cookie -> cookie.name.equals("workcell_session"))
                    .findFirst()
                    .orElseThrow();
            assertThat(session.httpOnly).isTrue();
            assertThat(session.sameSite).isEqualTo(SameSiteAttribute.STRICT);
            assertThat(session.value).doesNotContain(TestCredentials.ADMIN).startsWith("wcs_");
            // plain HTTP here: Secure is set only over TLS, or the browser would never send it back
            assertThat(session.secure).isFalse();
        }
    }

    @Test
    void anUnknownTokenIsRefusedAndOpensNoSession() {
        try (BrowserPage browser = chromium.open(base)) {
            Page page = browser.page();
            page.navigate("/signin");
            page.locator("#token").fill("wct_not-a-real-token");
            page.locator("#signin").click();
            assertThat(page.locator("#signin-error")).containsText("unknown, expired or revoked");
            assertThat(browser.cookies()).noneMatch(cookie -> cookie.name.equals("workcell_session"));
        }
    }

    @Test
    void signingOutEndsTheSessionOnTheServerNotOnlyInTheBrowser() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            String session = browser.sessionCookie();
            browser.page().locator("#signout").click();
            assertThat(browser.page()).hasURL(base + "/signin");

            given().auth()
                    .none()
                    .cookie("workcell_session", session)
                    .redirects()
                    .follow(false)
                    .get("/")
                    .then()
                    .statusCode(303)
                    .header("Location", base + "/signin?next=%2F");
        }
    }

    @Test
    void aViewerSeesNoAdminLinkAndARevokedTokensSessionEnds() {
        Token viewer = newToken("viewer");
        try (BrowserPage browser = chromium.open(base).signIn(viewer.secret())) {
            assertThat(browser.page().locator("header .who")).containsText("(viewer)");
            assertThat(browser.page().locator("nav a[href='/admin']")).hasCount(0);

            given().delete("/api/v1/tokens/" + viewer.id()).then().statusCode(200);
            browser.page().navigate("/");
            assertThat(browser.page()).hasURL(base + "/signin?next=%2F");
        }
    }

    @Test
    void aStateChangingRequestWithoutTheSessionsCsrfTokenIsRefused() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            String session = browser.sessionCookie();
            given().auth()
                    .none()
                    .cookie("workcell_session", session)
                    .post("/signout")
                    .then()
                    .statusCode(403)
                    .body("field", org.hamcrest.Matchers.equalTo("X-CSRF-Token"));
            given().auth()
                    .none()
                    .cookie("workcell_session", session)
                    .header("X-CSRF-Token", "wrong")
                    .post("/signout")
                    .then()
                    .statusCode(403);
            // the session is still open: the refused sign-outs changed nothing
            given().auth()
                    .none()
                    .cookie("workcell_session", session)
                    .redirects()
                    .follow(false)
                    .get("/")
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void theApiIgnoresTheSessionCookie() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            given().auth()
                    .none()
                    .cookie("workcell_session", browser.sessionCookie())
                    .get("/api/v1/devices")
                    .then()
                    .statusCode(401);
        }
    }
}
