package dev.workcell.controlplane.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.workcell.controlplane.testing.Api.action;
import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.events;
import static dev.workcell.controlplane.testing.Api.submit;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.RequestOptions;
import dev.workcell.controlplane.testing.BrowserPage;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Actions and Action views in a real browser, with actions a real agent runs. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ActionViewsTest extends DashboardFixture {

    @Test
    void anActionSubmittedThroughTheApiAppearsInTheListAndTurnsSucceededWithoutAReload() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/actions");
            page.evaluate("window.loadedOnce = true");

            String id = submitShell(target, "echo hello from outside; sleep 0.5");
            Locator row = page.locator("#action-" + id);
            assertThat(row.locator(".status")).hasText("RUNNING");
            assertThat(row.locator(".status")).hasText("SUCCEEDED");
            assertThat(row.locator(".priority")).hasText("100");
            assertThat(page.evaluate("window.loadedOnce"))
                    .as("the page was not reloaded")
                    .isEqualTo(true);
            assertThat(page.locator("#action-rows tr").first()).hasId("action-" + id);
            browser.screenshot("actions");
        }
    }

    @Test
    void theActionPageFollowsTheLiveLogLineByLine() throws IOException {
        Path gates = Files.createTempDirectory("dash-log-gates");
        String id = submitShell(
                target,
                "echo line 1; until [ -e %1$s/2 ]; do sleep 0.05; done; echo line 2; until [ -e %1$s/3 ]; do sleep 0.05; done; echo line 3"
                        .formatted(gates));
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/actions/" + id);
            Locator log = page.locator("#log");

            assertThat(log).containsText("line 1");
            assertThat(log).not().containsText("line 2");
            assertThat(page.locator("#status")).hasText("RUNNING");
            Files.createFile(gates.resolve("2"));
            assertThat(log).containsText("line 2");
            assertThat(log).not().containsText("line 3");
            Files.createFile(gates.resolve("3"));
            assertThat(page.locator("#status")).hasText("SUCCEEDED");
            assertThat(log).containsText("line 3");
            assertThat(log.textContent()).isEqualTo("line 1\nline 2\nline 3\n");
            assertThat(page.locator("#timeline")).containsText("SUCCEEDED");
            browser.screenshot("action");
        }
    }

    @Test
    void theFleetShowsTheDeviceBusyWithItsActionAndCancelFromTheActionPageStopsTheTask() {
        String id = submitShell(target, "echo started; sleep 120");
        awaitStatus(id, "RUNNING");
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            Locator device = page.locator("#fleet tr.device", new Page.LocatorOptions().setHasText(target));
            assertThat(device.locator(".state")).hasText("busy");
            assertThat(device.locator("a[href='/actions/" + id + "']")).hasText("EXEC " + id.substring(0, 8));

            page.navigate("/actions/" + id);
            assertThat(page.locator("#log")).containsText("started");
            assertThat(page.locator("#status")).hasText("RUNNING");

            page.onceDialog(dialog -> dialog.accept());
            page.locator("#cancel").click();
            // CANCELLED only once the agent reports the task stopped
            assertThat(page.locator("#status")).hasText("CANCELLED");
            assertThat(page.locator("#timeline")).containsText("t-bootstrap");
            assertThat(page.locator("#cancel")).hasCount(0);
        }
        assertThat(action(id).getString("status")).isEqualTo("CANCELLED");
    }

    @Test
    void aViewerSeesNoCancelButtonAndItsForgedCancelsAreRefusedAndChangeNothing() {
        String id = submitShell(target, "echo started; sleep 120");
        try {
            awaitStatus(id, "RUNNING");
            Token viewer = newToken("viewer");
            try (BrowserPage browser = chromium.open(base).signIn(viewer.secret())) {
                Page page = browser.page();
                page.navigate("/actions/" + id);
                assertThat(page.locator("#status")).hasText("RUNNING");
                assertThat(page.locator("#cancel")).hasCount(0);
                assertThat(page.locator("#retry")).hasCount(0);
                int eventsBefore = events(id).size();

                String csrf = page.locator("meta[name=csrf-token]").getAttribute("content");
                APIResponse withCsrf = browser.context()
                        .request()
                        .post(
                                "/actions/" + id + "/cancel",
                                RequestOptions.create().setHeader(CsrfCheck.HEADER, csrf));
                APIResponse withoutCsrf = browser.context().request().post("/actions/" + id + "/cancel");
                APIResponse retry = browser.context()
                        .request()
                        .post(
                                "/actions/" + id + "/retry",
                                RequestOptions.create().setHeader(CsrfCheck.HEADER, csrf));

                assertThat(withCsrf.status()).isEqualTo(403);
                assertThat(withoutCsrf.status()).isEqualTo(403);
                assertThat(retry.status()).isEqualTo(403);
                assertThat(action(id).getString("status")).isEqualTo("RUNNING");
                assertThat(action(id).getBoolean("cancelRequested")).isFalse();
                assertThat(events(id)).hasSize(eventsBefore);
            }
        } finally {
            given().post("/api/v1/actions/" + id + "/cancel").then().statusCode(200);
            awaitStatus(id, "CANCELLED");
        }
    }

    @Test
    void retryFromThePageSubmitsTheSameInputAndPriorityAgainAsANewAction() {
        String id = submit("""
                {"operation": "EXEC", "target": "%s", "input": {"exec": {"argv": ["sh", "-c", "echo failing; exit 3"]}}, "priority": 42}""".formatted(target));
        awaitStatus(id, "FAILED");
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/actions/" + id);
            page.locator("#retry").click();
            page.waitForURL(url -> url.contains("/actions/") && !url.endsWith(id));
            String retried = page.url().substring(page.url().lastIndexOf('/') + 1);
            assertThat(page.locator("#status")).hasText("FAILED");
            assertThat(action(retried).getString("input.exec.argv[2]")).isEqualTo("echo failing; exit 3");
            assertThat(page.locator("#priority")).hasText("42");
            assertThat(action(retried).getInt("priority")).isEqualTo(42);
        }
    }

    @Test
    void aLogFollowerThatReconnectsResumesFromItsByteOffsets() {
        String id =
                submitShell(target, "printf 'one\\n'; sleep 0.2; printf 'two\\n' >&2; sleep 0.2; printf 'three\\n'");
        awaitStatus(id, "SUCCEEDED");
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            String whole = given().auth()
                    .none()
                    .cookie("workcell_session", browser.sessionCookie())
                    .get("/actions/" + id + "/log")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            String resumed = given().auth()
                    .none()
                    .cookie("workcell_session", browser.sessionCookie())
                    .header("Last-Event-ID", "4:0")
                    .get("/actions/" + id + "/log")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();

            assertThat(whole)
                    .contains("data:one", "two", "data:three", "event:done")
                    .contains("id:4:0");
            assertThat(resumed).doesNotContain("data:one").contains("two", "data:three", "event:done");
        }
    }
}
