package dev.workcell.controlplane.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static io.restassured.RestAssured.given;

import com.microsoft.playwright.Page;
import dev.workcell.controlplane.testing.BrowserPage;
import dev.workcell.controlplane.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The action page's "Why is it waiting?" section in a real browser, with actions a real agent runs. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WaitingActionViewTest extends DashboardFixture {

    @Test
    void aWaitingActionsPageNamesTheActionItsDeviceRunsAndDropsTheReasonOnceItRuns() {
        String running = submitShell(target, "echo started; sleep 120");
        awaitStatus(running, "RUNNING");
        String waiting = submitShell(target, "echo second");
        Token viewer = newToken("viewer");
        try (BrowserPage browser = chromium.open(base).signIn(viewer.secret())) {
            Page page = browser.page();
            page.navigate("/actions/" + waiting);

            assertThat(page.locator("#status")).hasText("QUEUED");
            assertThat(page.locator("#pending h2")).hasText("Why is it waiting?");
            assertThat(page.locator("#pending-summary")).containsText("Its device is busy");
            assertThat(page.locator("#pending-summary")).containsText(running);
            assertThat(page.locator("#queue-position")).hasText("1");
            assertThat(page.locator("#pending-slices a[href='/actions/" + running + "']")).hasText(running.substring(0, 8));
            browser.screenshot("action-waiting");

            given().post("/api/v1/actions/" + running + "/cancel").then().statusCode(200);
            assertThat(page.locator("#status")).hasText("SUCCEEDED");
            assertThat(page.locator("#pending")).hasCount(0);
        }
    }

    @Test
    void theReasonIsExplainedAgainWhenAnActionAheadLeavesAndGoesOnceTheActionIsDispatchedWithoutAReload() {
        String running = submitShell(target, "echo started; sleep 120");
        awaitStatus(running, "RUNNING");
        String ahead = submitShell(target, "echo ahead");
        String waiting = submitShell(target, "echo third");
        Token viewer = newToken("viewer");
        try (BrowserPage browser = chromium.open(base).signIn(viewer.secret())) {
            Page page = browser.page();
            page.navigate("/actions/" + waiting);
            page.evaluate("window.loadedOnce = true");
            assertThat(page.locator("#queue-position")).hasText("2");

            // Neither change is one of the waiting action's own: its page follows what it waits for.
            given().post("/api/v1/actions/" + ahead + "/cancel").then().statusCode(200);
            assertThat(page.locator("#queue-position")).hasText("1");
            assertThat(page.locator("#status")).hasText("QUEUED");

            given().post("/api/v1/actions/" + running + "/cancel").then().statusCode(200);
            assertThat(page.locator("#pending")).hasCount(0);
            assertThat(page.locator("#status")).not().hasText("QUEUED");
            org.assertj.core.api.Assertions.assertThat(page.evaluate("window.loadedOnce")).as("the page was not reloaded").isEqualTo(true);
        }
    }
}
