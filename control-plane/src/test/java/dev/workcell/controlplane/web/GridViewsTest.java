package dev.workcell.controlplane.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.workcell.controlplane.testing.Api.action;
import static dev.workcell.controlplane.testing.Api.awaitStatus;
import static dev.workcell.controlplane.testing.Api.submitShell;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.workcell.controlplane.testing.BrowserPage;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grid view in a real browser, with actions a real agent runs. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GridViewsTest extends DashboardFixture {

    @Test
    void theCellOfAnActionChangesColourWhenTheActionEndsWithoutAReload() throws IOException {
        Path gate = Files.createTempDirectory("grid-gate");
        String id = submitShell(target, "echo started; until [ -e %s/go ]; do sleep 0.05; done".formatted(gate));
        awaitStatus(id, "RUNNING");
        String targetId = action(id).getString("target");
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/grid?rows=target&cols=operation");
            page.evaluate("window.loadedOnce = true");
            Locator cell = page.locator("#cell-" + targetId + "-EXEC");
            assertThat(cell).hasClass(Pattern.compile("\\bRUNNING\\b"));
            Object running = cell.evaluate("cell => getComputedStyle(cell).backgroundColor");

            Files.createFile(gate.resolve("go"));
            assertThat(cell).hasClass(Pattern.compile("\\bSUCCEEDED\\b"));
            assertThat(cell.evaluate("cell => getComputedStyle(cell).backgroundColor"))
                    .isNotEqualTo(running);
            assertThat(cell.locator(".count")).hasText(Integer.toString(execActionsOn(targetId)));
            assertThat(page.evaluate("window.loadedOnce"))
                    .as("the page was not reloaded")
                    .isEqualTo(true);
            browser.screenshot("grid");
        }
    }

    @Test
    void aCellOpensTheActionsViewFilteredToIt() {
        String id = submitShell(target, "echo counted");
        awaitStatus(id, "SUCCEEDED");
        String hostId = action(id).getString("host");
        String targetId = action(id).getString("target");
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/grid?rows=host&cols=target");
            page.locator("#cell-" + hostId + "-" + targetId + " a").click();
            page.waitForURL(url -> url.contains("/actions?"));
            assertThat(page.url()).contains("host=" + hostId, "target=" + targetId);
            assertThat(page.locator("#action-" + id)).isVisible();
            assertThat(page.locator("#action-rows tr.action"))
                    .hasCount(Math.min(ActionsPage.PAGE_SIZE, execActionsOn(targetId)));
        }
    }

    @Test
    void theSameAxisForRowsAndColumnsIsRefusedNamingTheField() {
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            APIResponse same = browser.context().request().get("/grid?rows=host&cols=host");
            APIResponse unknown = browser.context().request().get("/grid?rows=subject");
            assertThat(same.status()).isEqualTo(400);
            assertThat(same.text()).contains("\"field\":\"cols\"");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.text()).contains("\"field\":\"rows\"");
        }
    }

    /** How many EXEC actions the ledger holds for a target, as the API lists them (every action of these tests is an EXEC). */
    static int execActionsOn(String targetId) {
        return given().queryParam("target", targetId)
                .queryParam("operation", "EXEC")
                .queryParam("pageSize", 500)
                .get("/api/v1/actions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("actions")
                .size();
    }
}
