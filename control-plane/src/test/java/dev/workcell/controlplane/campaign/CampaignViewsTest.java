package dev.workcell.controlplane.campaign;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.workcell.controlplane.testing.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.workcell.controlplane.testing.BrowserPage;
import dev.workcell.controlplane.testing.Chromium;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.ArtifactService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The Campaigns and Campaign views in a real browser, with a campaign a real agent traces. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CampaignViewsTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @GrpcClient("artifacts")
    ArtifactService artifacts;

    @Test
    void theCampaignsListOpensAGridWhoseCellChangesWithoutAReloadAndOpensItsActions() throws Exception {
        Path gate = Files.createTempDirectory("campaign-gate");
        try (CampaignLab lab = CampaignLab.start(port, gate);
                Chromium chromium = new Chromium()) {
            PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
            String run = unique("view");
            // fails on both kinds once the gate opens: no follow-up, so the grid keeps its rows and columns
            String subject = CampaignLab.subject(
                    "unsupported game " + run,
                    CampaignLab.upload(
                            artifacts,
                            port,
                            run + " fail-on-" + CampaignLab.PIXEL + " fail-on-" + CampaignLab.EMULATOR),
                    "vulkan",
                    "{}");
            String name = "views " + run;
            String campaign = CampaignLab.campaign(name, List.of(subject), lab.kinds());
            CampaignTest.runCampaign(campaign);
            List<String> traces = CampaignTest.cellActions(
                    CampaignTest.grid(campaign, "subject", "operation", null), subject, "TRACE");
            traces.forEach(id -> dev.workcell.controlplane.testing.Api.awaitStatus(id, "RUNNING"));

            try (BrowserPage browser = chromium.open("http://localhost:" + port).signIn(TestCredentials.ADMIN)) {
                Page page = browser.page();
                page.navigate("/campaigns");
                page.locator("#campaigns a", new Page.LocatorOptions().setHasText(name))
                        .click();
                page.waitForURL(url -> url.endsWith("/campaigns/" + campaign));
                page.evaluate("window.loadedOnce = true");
                Locator cell = page.locator("#" + cellId(subject, "TRACE"));
                assertThat(cell).hasClass(Pattern.compile("\\bRUNNING\\b"));
                assertThat(cell.locator(".count")).hasText("2 running");

                Files.createFile(gate.resolve("go"));
                assertThat(cell).hasClass(Pattern.compile("\\bFAILED\\b"));
                assertThat(cell.locator(".count")).hasText("2 failed");
                assertThat(page.evaluate("window.loadedOnce"))
                        .as("the page was not reloaded")
                        .isEqualTo(true);
                browser.screenshot("campaign");

                cell.locator("a").click();
                page.waitForURL(url -> url.contains("row=" + subject));
                assertThat(page.locator("#opened-actions tr.opened-action")).hasCount(2);
                for (String id : traces) {
                    assertThat(page.locator("#opened-actions a[href='/actions/" + id + "']"))
                            .isVisible();
                }
            }
        }
    }

    @Test
    void aSubmitterCreatesACampaignFromTheListAndRunsItFromItsPageSeeingWhatTheRunCreatedAndKept() throws Exception {
        try (CampaignLab lab = CampaignLab.start(port);
                Chromium chromium = new Chromium()) {
            PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
            String run = unique("form");
            String subjectName = "form game " + run;
            String subject = CampaignLab.subject(
                    subjectName, CampaignLab.upload(artifacts, port, "form game " + run), "vulkan", "{}");
            String name = "form " + run;

            try (BrowserPage browser = chromium.open("http://localhost:" + port).signIn(TestCredentials.ADMIN)) {
                Page page = browser.page();
                page.navigate("/campaigns");
                page.locator("#create-campaign summary").click();
                page.locator("#campaign-name").fill(name);
                page.locator("#campaign-subjects input[value='" + subject + "']")
                        .check();
                page.locator("#campaign-kinds").fill("pixel: host=" + lab.host + "; model=nokia 3310");
                page.locator("#create-campaign-button").click();
                assertThat(page.locator("#campaign-error")).containsText("kinds[0].dimensions.model");
                assertThat(page.locator("#campaign-created")).hasCount(0);

                page.locator("#campaign-kinds").fill("pixel: host=" + lab.host + "; model=pixel 8");
                page.locator("#create-campaign-button").click();
                page.locator("#campaign-created a", new Page.LocatorOptions().setHasText(name))
                        .click();
                page.waitForURL(url -> url.matches(".*/campaigns/[0-9a-f]{16}$"));
                String campaign = page.url().substring(page.url().lastIndexOf('/') + 1);
                assertThat(page.locator("#no-cells")).isVisible();
                assertThat(page.locator("#campaign-summary"))
                        .hasText("1 subject × 1 device kind (pixel) · run 0 times");

                page.locator("#run-campaign").click();
                assertThat(page.locator("#run-outcome")).containsText("Run 1: 1 created, 0 kept");
                Locator trace = page.locator("#" + cellId(subject, "TRACE"));
                assertThat(trace).hasClass(Pattern.compile("\\bSUCCEEDED\\b"));
                assertThat(page.locator("#" + cellId(subject, "REPORT"))).hasClass(Pattern.compile("\\bSUCCEEDED\\b"));
                browser.screenshot("campaign-run");
                page.reload();
                assertThat(page.locator("#campaign-summary")).containsText("· run 1 time, last at ");

                page.locator("#run-campaign").click();
                assertThat(page.locator("#run-outcome")).containsText("Run 2: 0 created, 3 kept");
                assertThat(dev.workcell.controlplane.testing.Api.auditKindsOf(campaign))
                        .containsExactly("campaign.run", "campaign.run", "campaign.created");
            }
        }
    }

    private static String cellId(String row, String column) {
        return "cell-" + HexFormat.of().formatHex((row + "\n" + column).getBytes(StandardCharsets.UTF_8));
    }
}
