package dev.workcell.controlplane.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.BrowserPage;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Device view in a real browser, on the device of a real agent: its dimensions; an admin
 * quarantines, labels and releases it on the page and the API sees each change; a viewer sees no
 * form and a forged post is refused.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DeviceViewsTest extends DashboardFixture {

    @Test
    void anAdminQuarantinesLabelsAndReleasesTheDeviceFromItsPage() {
        String device = Api.deviceId(target);
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/?q=" + target);
            page.locator("#fleet a[href='/devices/" + device + "']").click();
            assertThat(page.locator("#dimensions")).containsText(target);

            page.locator("#quarantine-note").fill("cable loose");
            page.locator("#quarantine-device").click();
            assertThat(page.locator("#quarantine")).containsText("In quarantine");
            assertThat(page.locator("#quarantine")).containsText("cable loose");
            given().get("/api/v1/devices/" + device + "/quarantine").then().statusCode(200);

            page.locator("#labels-input").fill("subject=angle team=graphics");
            page.locator("#set-labels").click();
            assertThat(page.locator("#admin-labels")).containsText("subject=angle");
            assertThat(page.locator("#dimensions")).containsText("graphics");
            Map<String, String> labels = given().get("/api/v1/devices")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getMap("devices.find { it.id == '" + device + "' }.adminLabels");
            assertThat(labels).containsEntry("subject", "angle").containsEntry("team", "graphics");
            browser.screenshot("device");

            page.locator("#release").click();
            assertThat(page.locator("#quarantine")).containsText("Not in quarantine");
            given().get("/api/v1/devices/" + device + "/quarantine").then().statusCode(404);
            assertThat(AdminViewsTest.auditKindsOf(device))
                    .containsSubsequence("device.released", "device.labelled", "device.quarantined");
        }
    }

    @Test
    void aBadLabelIsShownOnThePageAndChangesNothing() {
        String device = Api.deviceId(target);
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            page.navigate("/devices/" + device);
            String before = page.locator("#admin-labels").textContent();
            page.locator("#labels-input").fill("Bad=x");
            page.locator("#set-labels").click();
            assertThat(page.locator("#device-error")).containsText("lowercase");
            assertThat(page.locator("#admin-labels")).hasText(before);
        }
    }

    @Test
    void aViewerSeesNoDeviceFormAndAForgedQuarantineIsRefused() {
        String device = Api.deviceId(target);
        Token viewer = newToken("viewer");
        try (BrowserPage browser = chromium.open(base).signIn(viewer.secret())) {
            Page page = browser.page();
            page.navigate("/devices/" + device);
            assertThat(page.locator("#dimensions")).containsText(target);
            assertThat(page.locator("#quarantine-device")).hasCount(0);
            assertThat(page.locator("#set-labels")).hasCount(0);
            String csrf = page.locator("meta[name=csrf-token]").getAttribute("content");
            APIResponse forged = browser.context()
                    .request()
                    .post(
                            "/devices/" + device + "/quarantine",
                            RequestOptions.create()
                                    .setHeader(CsrfCheck.HEADER, csrf)
                                    .setForm(FormData.create().set("note", "mine")));
            assertThat(forged.status()).isEqualTo(403);
            given().get("/api/v1/devices/" + device + "/quarantine").then().statusCode(404);
        }
    }
}
