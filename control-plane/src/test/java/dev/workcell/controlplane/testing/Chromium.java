package dev.workcell.controlplane.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's chromium (/usr/bin/chromium, installed by .ci/run) driven by Playwright, which
 * downloads no browser of its own (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD, set by the pom). Headless,
 * with the background connections off: this machine's network is closed.
 */
public final class Chromium implements AutoCloseable {

    public static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    private static final List<String> ARGS = List.of(
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");

    private final Playwright playwright;
    private final Browser browser;

    public Chromium() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: apt-get install -y chromium (.ci/run does)");
        }
        playwright = Playwright.create();
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(EXECUTABLE)
                        .setHeadless(true)
                        .setArgs(ARGS));
    }

    /** A new browser window with its own cookies, on the control plane at this base URL. */
    public BrowserPage open(String baseUrl) {
        return new BrowserPage(browser.newContext(
                new Browser.NewContextOptions().setBaseURL(baseUrl).setViewportSize(1280, 800)));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
