package dev.workcell.controlplane.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.workcell.controlplane.testing.BrowserPage;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each view's load time in the browser with 1,000 devices (50 hosts) and 100,000 actions, seeded
 * straight into PostgreSQL and removed after. The times are printed; the only bound is a generous
 * sanity one: the point is that no page reads everything.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PageLoadTest extends DashboardFixture {

    static final int DEVICES = 1000;
    static final int HOSTS = 50;
    static final int ACTIONS = 100_000;
    static final int LOADS = 3;
    static final double SANITY_BOUND_MS = 15_000;
    static final String SUBMITTER = "pageload-submitter";

    /** The 40-hex id the seed gives a name, as the control plane's ids look. */
    static String id(String nameSql) {
        return "substr(encode(sha256(convert_to(" + nameSql + ", 'UTF8')), 'hex'), 1, 40)";
    }

    static final List<String> SEED = List.of(
            "INSERT INTO devices (id, serial, name, info, approved) SELECT " + id("'pageload-host-' || h")
                    + ", 'pageload-host-' || h, 'pageload-host-' || h, '\\x'::bytea, true FROM generate_series(1, "
                    + HOSTS + ") h",
            "INSERT INTO devices (id, serial, name, info, approved) SELECT " + id("'pageload-phone-' || d")
                    + ", 'pageload-phone-' || d, 'pageload-phone-' || d, '\\x'::bytea, d % 10 <> 0 FROM generate_series(1, "
                    + DEVICES + ") d",
            "INSERT INTO workers (id, host_id, target_id, operations, live, last_seen, state, health) SELECT "
                    + id("'pageload-worker-' || d") + ", " + id("'pageload-host-' || (1 + d % " + HOSTS + ")") + ", "
                    + id("'pageload-phone-' || d")
                    + ", '{EXEC,TRACE,REPLAY,REPORT}', false, now() - d * interval '1 minute', 'OFFLINE',"
                    + " 'unplugged' FROM generate_series(1, " + DEVICES + ") d",
            "INSERT INTO actions (id, operation, input, input_hash, host_id, target_id, status, max_attempts, created_at, updated_at,"
                    + " started_at, finished_at, submitted_by, host_name, target_name) SELECT "
                    + id("'pageload-action-' || i")
                    + ", (ARRAY['EXEC','TRACE','REPLAY','REPORT'])[1 + i % 4], '\\x'::bytea, 'pageload-' || i, "
                    + id("'pageload-host-' || (1 + (1 + i % " + DEVICES + ") % " + HOSTS + ")") + ", "
                    + id("'pageload-phone-' || (1 + i % " + DEVICES + ")")
                    + ", (ARRAY['SUCCEEDED','FAILED','CANCELLED'])[1 + i % 3], 1, now() - (" + ACTIONS
                    + " - i) * interval '1 second',"
                    + " now() - (" + ACTIONS + " - i) * interval '1 second', now() - (" + ACTIONS
                    + " - i) * interval '1 second',"
                    + " now() - (" + ACTIONS + " - i) * interval '1 second', '" + SUBMITTER + "',"
                    + " 'pageload-host-' || (1 + (1 + i % " + DEVICES + ") % " + HOSTS
                    + "), 'pageload-phone-' || (1 + i % " + DEVICES + ")"
                    + " FROM generate_series(1, " + ACTIONS + ") i",
            "INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, at, actor)"
                    + " SELECT id, 1, NULL, 'QUEUED', 'submitted', created_at, '" + SUBMITTER
                    + "' FROM actions WHERE submitted_by = '" + SUBMITTER + "'",
            "INSERT INTO action_events (action_id, attempt, from_status, to_status, reason, at)"
                    + " SELECT id, 1, 'QUEUED', status, 'seeded', finished_at FROM actions WHERE submitted_by = '"
                    + SUBMITTER + "'",
            "ANALYZE");

    static final List<String> REMOVE = List.of(
            "DELETE FROM action_events WHERE action_id IN (SELECT id FROM actions WHERE submitted_by = '" + SUBMITTER
                    + "')",
            "DELETE FROM actions WHERE submitted_by = '" + SUBMITTER + "'",
            "DELETE FROM workers WHERE target_id IN (SELECT id FROM devices WHERE name LIKE 'pageload-phone-%')",
            "DELETE FROM devices WHERE name LIKE 'pageload-%'");

    @BeforeAll
    static void seed() throws SQLException {
        long started = System.nanoTime();
        run(REMOVE);
        run(SEED);
        System.out.printf(
                "seeded %d devices on %d hosts and %d actions in %d ms%n",
                DEVICES, HOSTS, ACTIONS, (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void remove() throws SQLException {
        run(REMOVE);
    }

    static void run(List<String> statements) throws SQLException {
        Config config = ConfigProvider.getConfig();
        try (Connection connection = DriverManager.getConnection(
                        config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getValue("quarkus.datasource.password", String.class));
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (String sql : statements) {
                if (sql.equals("ANALYZE")) {
                    connection.commit();
                    connection.setAutoCommit(true);
                }
                statement.execute(sql);
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

    @Test
    void everyViewLoadsInTheBrowserAtAThousandDevicesAndAHundredThousandActions() {
        String seededAction;
        try (BrowserPage browser = chromium.open(base).signIn(TestCredentials.ADMIN)) {
            Page page = browser.page();
            Map<String, String> views = new LinkedHashMap<>();
            views.put("fleet", "/");
            views.put("fleet, offline devices whose name has 99", "/?state=offline&q=phone-99");
            views.put("fleet, 10th page", "/?offset=900");
            views.put("actions", "/actions");
            views.put("actions, FAILED TRACE", "/actions?status=FAILED&operation=TRACE");
            views.put("actions by status", "/actions?sort=status&dir=asc");
            views.put("actions by target", "/actions?sort=target&dir=desc");
            views.put("actions of one device", "/actions?target=pageload-phone-7");
            views.put("grid, targets × operations", "/grid");
            views.put("grid, hosts × targets", "/grid?rows=host&cols=target");

            page.navigate("/actions?submitter=" + SUBMITTER);
            seededAction =
                    page.locator("#action-rows tr").first().getAttribute("id").substring("action-".length());
            views.put("action", "/actions/" + seededAction);

            for (Map.Entry<String, String> view : views.entrySet()) {
                List<Double> loads = new ArrayList<>();
                for (int i = 0; i < LOADS; i++) {
                    loads.add(load(page, view.getValue()));
                }
                System.out.printf(
                        "page load at %d devices / %d actions: %-45s %s ms (load event, %d loads)%n",
                        DEVICES,
                        ACTIONS,
                        view.getKey(),
                        loads.stream().map(ms -> String.format("%.0f", ms)).toList(),
                        LOADS);
                assertThat(loads).as(view.getKey()).allMatch(ms -> ms < SANITY_BOUND_MS);
            }

            page.navigate("/");
            assertThat(page.locator("#fleet tr.device")).hasCount(FleetPage.PAGE_SIZE);
            // the seeded devices are offline; earlier test classes may have left more
            String counts = page.locator("#counts").textContent();
            assertThat(Long.parseLong(counts.replaceAll("(?s).*?(\\d+) offline.*", "$1")))
                    .isGreaterThanOrEqualTo(DEVICES);
            page.navigate("/actions");
            assertThat(page.locator("#action-rows tr")).hasCount(ActionsPage.PAGE_SIZE);
            double next = measure(page, () -> page.locator("#next-page").click());
            System.out.printf(
                    "page load at %d devices / %d actions: %-45s [%.0f] ms%n",
                    DEVICES, ACTIONS, "actions, next page", next);
            assertThat(page.locator("#action-rows tr")).hasCount(ActionsPage.PAGE_SIZE);
            browser.screenshot("actions-100k");

            page.navigate("/grid");
            assertThat(page.locator("#grid tr.grid-row")).hasCount(GridPage.MAX_ROWS);
            assertThat(page.locator("#grid th.column")).hasCount(4);
            assertThat(page.locator("#grid-bounds")).containsText("Showing the " + GridPage.MAX_ROWS + " of ");
            browser.screenshot("grid-100k");
        }
    }

    /** The grid's two queries read indexes, never the whole table (the grid its window along seq, a cell the grid indexes); times printed. */
    @Test
    void theGridIsCountedFromItsIndexesAtAHundredThousandActions() throws SQLException {
        Config config = ConfigProvider.getConfig();
        try (Connection connection = DriverManager.getConnection(
                        config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getValue("quarkus.datasource.password", String.class));
                Statement statement = connection.createStatement()) {
            Map<GridAxis, String> keys = new LinkedHashMap<>();
            try (var seeded =
                    statement.executeQuery("SELECT target_id, host_id, operation FROM actions WHERE submitted_by = '"
                            + SUBMITTER + "' ORDER BY seq DESC LIMIT 1")) {
                seeded.next();
                keys.put(GridAxis.TARGET, seeded.getString(1));
                keys.put(GridAxis.HOST, seeded.getString(2));
                keys.put(GridAxis.OPERATION, seeded.getString(3));
            }
            for (GridAxis rows : GridAxis.values()) {
                for (GridAxis columns : GridAxis.values()) {
                    if (rows == columns) {
                        continue;
                    }
                    String grid = explain(
                            statement,
                            GridCells.gridSql(rows, columns)
                                    .replace("$1", "" + GridPage.MAX_ROWS)
                                    .replace("$2", "" + GridPage.MAX_COLUMNS)
                                    .replace("$3", "" + GridPage.WINDOW));
                    String cell = explain(
                            statement,
                            GridCells.cellSql(rows, columns)
                                    .replace("$1", "'" + keys.get(rows) + "'")
                                    .replace("$2", "'" + keys.get(columns) + "'")
                                    .replace("$3", "1"));
                    System.out.printf(
                            "grid query at %d actions, %s × %s: whole grid %s ms, one cell %s ms%n",
                            ACTIONS, rows.param(), columns.param(), executionTime(grid), executionTime(cell));
                    assertThat(grid)
                            .as(rows + " × " + columns + ":\n" + grid)
                            .contains("Index Scan Backward using actions_seq_key")
                            .doesNotContain("Seq Scan on actions");
                    assertThat(cell)
                            .as(rows + " × " + columns + " cell:\n" + cell)
                            .contains("Index")
                            .doesNotContain("Seq Scan on actions");
                }
            }
        }
    }

    static String explain(Statement statement, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (var lines = statement.executeQuery("EXPLAIN ANALYZE " + sql)) {
            while (lines.next()) {
                plan.append(lines.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    static String executionTime(String plan) {
        java.util.regex.Matcher time =
                java.util.regex.Pattern.compile("Execution Time: ([0-9.]+) ms").matcher(plan);
        return time.find() ? time.group(1) : "?";
    }

    /** Opens a page and returns the time from navigation start to the end of its load event, as the browser measured it. */
    static double load(Page page, String path) {
        return measure(page, () -> page.navigate(path));
    }

    static double measure(Page page, Runnable navigation) {
        navigation.run();
        page.waitForLoadState();
        page.waitForFunction("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0");
        return ((Number)
                        page.evaluate(
                                "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }"))
                .doubleValue();
    }
}
