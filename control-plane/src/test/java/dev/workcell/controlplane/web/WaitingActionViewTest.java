package dev.workcell.controlplane.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static io.restassured.RestAssured.given;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.BrowserPage;
import dev.workcell.controlplane.testing.FakeAgent;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.ControlMessage;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * The action page's "Why is it waiting?" section in a real browser, with actions a real agent runs
 * (a fake agent where the test takes its device away).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WaitingActionViewTest extends DashboardFixture {

    @GrpcClient("agents")
    AgentService agents;

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
            assertThat(page.locator("#pending-slices a[href='/actions/" + running + "']"))
                    .hasText(running.substring(0, 8));
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
            openOnce(page, waiting);
            assertThat(page.locator("#queue-position")).hasText("2");

            // Neither change is one of the waiting action's own: its page follows what it waits for.
            given().post("/api/v1/actions/" + ahead + "/cancel").then().statusCode(200);
            assertThat(page.locator("#queue-position")).hasText("1");
            assertThat(page.locator("#status")).hasText("QUEUED");

            given().post("/api/v1/actions/" + running + "/cancel").then().statusCode(200);
            assertLeftTheQueueWithoutAReload(page);
        }
    }

    @Test
    void quarantiningTheOnlyMatchingDeviceIsExplainedWithoutAReloadAndItsReleaseLetsTheActionRun() {
        String running = submitShell(target, "echo started; sleep 120");
        awaitStatus(running, "RUNNING");
        String waiting = submitShell(target, "echo after the quarantine");
        String device = Api.action(running).getString("target");
        Token viewer = newToken("viewer");
        try (BrowserPage browser = chromium.open(base).signIn(viewer.secret())) {
            Page page = browser.page();
            openOnce(page, waiting);
            assertThat(page.locator("#pending-summary")).containsText("Its device is busy");

            given().contentType(ContentType.JSON)
                    .body("{\"note\": \"screen cracked\"}")
                    .post("/api/v1/devices/" + device + "/quarantine")
                    .then()
                    .statusCode(200);
            assertThat(page.locator("#pending-summary")).hasText("Its device is in quarantine.");
            assertThat(page.locator("#pending-summary")).hasClass("pending DEVICES_QUARANTINED");
            browser.screenshot("action-waiting-quarantined");

            given().post("/api/v1/actions/" + running + "/cancel").then().statusCode(200);
            awaitStatus(running, "CANCELLED");
            assertThat(page.locator("#pending-summary")).hasText("Its device is in quarantine.");
            assertThat(page.locator("#status")).hasText("QUEUED");

            given().delete("/api/v1/devices/" + device + "/quarantine").then().statusCode(200);
            assertLeftTheQueueWithoutAReload(page);
        } finally {
            given().delete("/api/v1/devices/" + device + "/quarantine");
        }
    }

    @Test
    void aDeviceThatGoesOfflineIsExplainedWithoutAReload() {
        String host = Api.unique("dash-leaving-host");
        String phone = Api.unique("dash-leaving-phone");
        Token viewer = newToken("viewer");
        String held;
        String waiting;
        try (FakeAgent leaving = new FakeAgent(agents);
                BrowserPage browser = chromium.open(base).signIn(viewer.secret())) {
            leaving.register(host, phone);
            held = submitShell(phone, "echo held by the fake agent");
            leaving.next(ControlMessage::hasTask);
            waiting = submitShell(phone, "echo second");
            Page page = browser.page();
            openOnce(page, waiting);
            assertThat(page.locator("#pending-summary")).containsText("Its device is busy");

            leaving.close();
            // sooner than the held attempt's lease ends (20 s in tests), whose requeue would explain the wait again too
            assertThat(page.locator("#pending-summary"))
                    .hasText("Its device is offline.", new LocatorAssertions.HasTextOptions().setTimeout(10_000));
            assertThat(page.locator("#status")).hasText("QUEUED");
            assertNotReloaded(page);
        }
        given().post("/api/v1/actions/" + waiting + "/cancel").then().statusCode(200);
        given().post("/api/v1/actions/" + held + "/cancel").then().statusCode(200);
    }

    /** Opens an action's page and marks it, so that a reload would show. */
    private static void openOnce(Page page, String actionId) {
        page.navigate("/actions/" + actionId);
        page.evaluate("window.loadedOnce = true");
    }

    private static void assertNotReloaded(Page page) {
        org.assertj.core.api.Assertions.assertThat(page.evaluate("window.loadedOnce"))
                .as("the page was not reloaded")
                .isEqualTo(true);
    }

    /** The action was dispatched: its page dropped the reason and shows the new status, with no reload. */
    private static void assertLeftTheQueueWithoutAReload(Page page) {
        assertThat(page.locator("#pending")).hasCount(0);
        assertThat(page.locator("#status")).not().hasText("QUEUED");
        assertNotReloaded(page);
    }
}
