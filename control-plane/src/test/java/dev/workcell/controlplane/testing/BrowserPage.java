package dev.workcell.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One browser window of a test: every console error and uncaught page error is recorded, and
 * {@link #close()} fails the test when there was one; {@link #screenshot} saves the page under
 * target/screenshots/.
 */
public final class BrowserPage implements AutoCloseable {

    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final BrowserContext context;
    private final Page page;
    private final List<String> errors = new CopyOnWriteArrayList<>();

    BrowserPage(BrowserContext context) {
        this.context = context;
        this.page = context.newPage();
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                errors.add(page.url() + ": console error: " + message.text());
            }
        });
        page.onPageError(error -> errors.add(page.url() + ": page error: " + error));
    }

    public Page page() {
        return page;
    }

    public BrowserContext context() {
        return context;
    }

    /** Signs in on the sign-in page with a pasted token, and waits for the fleet view it lands on. */
    public BrowserPage signIn(String token) {
        page.navigate("/signin");
        page.locator("#token").fill(token);
        page.locator("#signin").click();
        page.waitForURL("**/");
        return this;
    }

    public String sessionCookie() {
        return context.cookies().stream()
                .filter(cookie -> cookie.name.equals("workcell_session"))
                .map(cookie -> cookie.value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie"));
    }

    public List<Cookie> cookies() {
        return context.cookies();
    }

    public Path screenshot(String name) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    /** Console and page errors so far. */
    public List<String> errors() {
        return errors;
    }

    /** Closes the window, then fails when any page it showed logged an error. */
    @Override
    public void close() {
        context.close();
        assertThat(errors).as("console and page errors").isEmpty();
    }
}
