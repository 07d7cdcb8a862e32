package dev.workcell.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.workcell.cli.testing.AgentProcess;
import dev.workcell.cli.testing.Cli;
import dev.workcell.cli.testing.Cli.Result;
import dev.workcell.cli.testing.Farm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contexts, identities and the admin commands against a real control plane that holds new devices
 * back until an admin approves them: login, context, whoami, tokens, enrollment tokens, agents,
 * device approval, audit.
 */
class CliAdminIT {

    private static Farm farm;
    private static Cli admin;

    @BeforeAll
    static void startFarm() {
        farm = Farm.start(Map.of("WORKCELL_DEVICES_REQUIRE_APPROVAL", "true"), Map.of());
        admin = farm.admin();
    }

    @AfterAll
    static void stopFarm() {
        farm.close();
    }

    private static String createToken(String role) {
        Result created = admin.run("tokens", "create", "cli-" + role + "-" + farm.run, "--role", role, "-o", "json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        return created.json().getAsJsonObject().get("secret").getAsString();
    }

    @Test
    void loginSavesAContextOnlyItsOwnerCanReadAndMakesItCurrent() throws Exception {
        Cli fresh = Cli.fresh(Map.of());

        Result login = fresh.runWithInput(farm.adminToken() + "\n", "login", farm.server(), "--context", "lab");
        Result whoami = fresh.run("whoami");
        Result contexts = fresh.run("context");

        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.out())
                .contains(
                        "Logged in to " + farm.server() + " as bootstrap (t-bootstrap, admin, submitter, viewer)",
                        "context 'lab' is current");
        Path config = fresh.configHome().resolve("workcell").resolve("config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
        assertThat(whoami.out())
                .contains(
                        "server:  " + farm.server() + " (context lab)",
                        "token:   t-bootstrap (bootstrap)",
                        "roles:   admin, submitter, viewer");
        assertThat(contexts.out()).containsPattern("\\* +lab +" + farm.server());
        assertThat(contexts.out()).doesNotContain(farm.adminToken());
    }

    @Test
    void aLoginWithAWrongTokenIsRefusedAndSavesNothing() {
        Cli fresh = Cli.fresh(Map.of());

        Result login = fresh.runWithInput("wct_not-a-token\n", "login", farm.server());

        assertThat(login.exitCode()).as(login.toString()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(login.err()).startsWith("workcell: 401: ");
        assertThat(fresh.configHome().resolve("workcell").resolve("config.json"))
                .doesNotExist();
    }

    @Test
    void contextsAreSwitchedAndDeletedAndTheEnvironmentOverridesThem() {
        Cli fresh = Cli.fresh(Map.of());
        assertThat(fresh.runWithInput(farm.adminToken(), "login", farm.server(), "--context", "as-admin")
                        .exitCode())
                .isZero();
        assertThat(fresh.runWithInput(createToken("viewer"), "login", farm.server(), "--context", "as-viewer")
                        .exitCode())
                .isZero();

        Result viewer = fresh.run("whoami", "-o", "json");
        Result switched = fresh.run("context", "use", "as-admin");
        Result adminAgain = fresh.run("whoami", "-o", "json");
        Result explicit = fresh.run("whoami", "--context", "as-viewer", "-o", "json");
        Result fromEnvironment =
                fresh.with(Map.of("WORKCELL_TOKEN", createToken("submitter"))).run("whoami", "-o", "json");
        Result otherServer =
                fresh.with(Map.of("WORKCELL_SERVER", "http://127.0.0.1:1")).run("whoami");
        Result deleted = fresh.run("context", "delete", "as-viewer");
        Result listed = fresh.run("context", "-o", "jsonl");
        Result unknown = fresh.run("context", "use", "as-viewer");

        assertThat(viewer.json().getAsJsonObject().getAsJsonArray("roles").toString())
                .isEqualTo("[\"viewer\"]");
        assertThat(switched.exitCode()).isZero();
        assertThat(adminAgain.json().getAsJsonObject().get("id").getAsString()).isEqualTo("t-bootstrap");
        assertThat(explicit.json().getAsJsonObject().getAsJsonArray("roles").toString())
                .isEqualTo("[\"viewer\"]");
        assertThat(fromEnvironment
                        .json()
                        .getAsJsonObject()
                        .getAsJsonArray("roles")
                        .toString())
                .contains("submitter");
        assertThat(otherServer.exitCode())
                .as("a saved token is never sent to another server")
                .isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(otherServer.err()).contains("no token for http://127.0.0.1:1");
        assertThat(deleted.exitCode()).isZero();
        assertThat(listed.jsonLines()).singleElement().satisfies(context -> {
            assertThat(context.get("name").getAsString()).isEqualTo("as-admin");
            assertThat(context.get("current").getAsBoolean()).isTrue();
        });
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void helpAndVersionNeedNoServerAndACommandIsRequired() {
        Cli fresh = Cli.fresh(Map.of());

        Result version = fresh.run("--version");
        Result help = fresh.run("submit", "exec", "--help");
        Result nothing = fresh.run();

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("workcell ").doesNotContain("unknown");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .startsWith("Usage: workcell submit exec ")
                .contains("--wait", "--follow", "--idempotency-key", "Exit codes:");
        assertThat(nothing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(nothing.err())
                .startsWith("Missing required subcommand")
                .contains("submit", "watch", "enrollment-tokens");
    }

    @Test
    void withoutAServerOrATokenACommandSaysHowToLogIn() {
        Result nothing = Cli.fresh(Map.of()).run("list");
        Result noToken = Cli.fresh(Map.of("WORKCELL_SERVER", farm.server())).run("list");
        Result badServer = Cli.fresh(Map.of("WORKCELL_SERVER", "ftp://x", "WORKCELL_TOKEN", "t"))
                .run("list");

        assertThat(nothing.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(nothing.err()).contains("run `workcell login SERVER`");
        assertThat(noToken.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(noToken.err()).contains("no token for " + farm.server());
        assertThat(badServer.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badServer.err()).contains("invalid server 'ftp://x'");
    }

    @Test
    void aTokenWorksAsItsRoleAllowsUntilItIsRevoked() {
        Result created =
                admin.run("tokens", "create", "cli-revoked-" + farm.run, "--role", "viewer", "--expires", "1d");
        String secret = created.out()
                .lines()
                .filter(line -> line.startsWith("secret, shown once: "))
                .findFirst()
                .orElseThrow()
                .substring("secret, shown once: ".length());
        String id = created.out().replaceAll("(?s)created token (t-[0-9a-f]+) .*", "$1");
        Cli viewer = farm.as(secret);

        Result reads = viewer.run("devices");
        Result submits = viewer.run("submit", "exec", "-t", farm.phoneA, "--", "true");
        Result adminOnly = viewer.run("tokens");
        Result listed = admin.run("tokens", "-o", "jsonl");
        Result revoked = admin.run("tokens", "revoke", id);
        Result afterRevoke = viewer.run("whoami");
        Result bogus = farm.as("wct_bogus").run("list");

        assertThat(created.out()).startsWith("created token t-").contains("(cli-revoked-" + farm.run + ", viewer)");
        assertThat(reads.exitCode()).isZero();
        assertThat(submits.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(submits.err()).startsWith("workcell: not allowed: ");
        assertThat(adminOnly.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(adminOnly.err()).startsWith("workcell: 403: ");
        assertThat(listed.jsonLines())
                .filteredOn(token -> token.get("id").getAsString().equals(id))
                .singleElement()
                .satisfies(token ->
                        assertThat(token.get("expiresAt").getAsString()).isNotEmpty());
        assertThat(listed.out()).doesNotContain(secret);
        assertThat(revoked.out()).isEqualTo("revoked token " + id + " (cli-revoked-" + farm.run + ")\n");
        assertThat(afterRevoke.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(bogus.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(bogus.err()).startsWith("workcell: not authenticated: ");
        assertThat(admin.run("tokens").out())
                .containsPattern(id + " +cli-revoked-" + farm.run + " +viewer .*t-bootstrap");
    }

    @Test
    void enrollmentTokensAreCreatedListedAndRevoked() {
        Result created = admin.run(
                "enrollment-tokens",
                "create",
                "--pool",
                "lab-" + farm.run,
                "--label",
                "gpu",
                "--label",
                "pixel",
                "--expires",
                "2h",
                "-o",
                "json");
        JsonObject token = created.json().getAsJsonObject().getAsJsonObject("token");
        String id = token.get("id").getAsString();

        Result table = admin.run("enrollment-tokens");
        Result revoked = admin.run("enrollment-tokens", "revoke", id, "-o", "json");

        assertThat(created.json().getAsJsonObject().get("secret").getAsString()).startsWith("wce_");
        assertThat(token.get("reusable").getAsBoolean()).isFalse();
        assertThat(table.out()).containsPattern(id + " +lab-" + farm.run + " +gpu, pixel +false +0 ");
        assertThat(revoked.json().getAsJsonObject().get("revokedAt").getAsString())
                .isNotEmpty();
    }

    @Test
    void aRevokedAgentIsListedAsSuchAndItsWorkersGoOffline() {
        String enrollment = admin.run("enrollment-tokens", "create", "--pool", "spare", "-o", "json")
                .json()
                .getAsJsonObject()
                .get("secret")
                .getAsString();
        String spareHost = "spare-" + farm.run;
        try (AgentProcess spare = AgentProcess.start(
                farm.controlPlane().port(), enrollment, spareHost, "spare-phone-" + farm.run, Map.of())) {
            Result agents = admin.run("agents", "-o", "jsonl");
            String id = agents.jsonLines().stream()
                    .filter(agent -> agent.get("hostName").getAsString().equals(spareHost))
                    .findFirst()
                    .orElseThrow()
                    .get("id")
                    .getAsString();

            Result table = admin.run("agents");
            Result revoked = admin.run("agents", "revoke", id);

            assertThat(table.out()).containsPattern(id + " +" + spareHost + " +spare ");
            assertThat(revoked.out()).isEqualTo("revoked agent " + id + " of host " + spareHost + "\n");
            assertThat(admin.run("agents", "-o", "jsonl").jsonLines())
                    .filteredOn(agent -> agent.get("id").getAsString().equals(id))
                    .singleElement()
                    .satisfies(agent -> assertThat(agent.has("revokedAt")).isTrue());
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(admin.run("workers").out())
                            .containsPattern(spareHost + " +spare-phone-" + farm.run + " +no "));
        }
    }

    @Test
    void aNewDeviceGetsWorkOnlyOnceApproved() {
        String deviceId = admin.run("devices", "-o", "jsonl").jsonLines().stream()
                .filter(device -> device.get("name").getAsString().equals(farm.phoneB))
                .findFirst()
                .orElseThrow()
                .get("id")
                .getAsString();
        assertThat(admin.run("devices").out()).containsPattern(farm.phoneB + " +" + farm.phoneB + " +no ");
        Result held = admin.run(
                "submit",
                "exec",
                "-t",
                farm.phoneB,
                "--wait",
                "--timeout",
                "3s",
                "-o",
                "json",
                "--",
                "echo",
                UUID.randomUUID().toString());
        String actionId = held.json().getAsJsonObject().get("id").getAsString();

        Result approved = admin.run("devices", "approve", deviceId);
        Result done = admin.run("watch", actionId, "--timeout", "60s");

        assertThat(held.exitCode()).as(held.toString()).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(held.json().getAsJsonObject().get("status").getAsString()).isEqualTo("QUEUED");
        assertThat(approved.out()).isEqualTo("approved " + farm.phoneB + " (" + deviceId + ")\n");
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(admin.run("devices", "approve", "0".repeat(40)).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void anAdminQuarantinesADeviceByItsSerialAndReleasesItByItsId() {
        String deviceId = admin.run("devices", "-o", "jsonl").jsonLines().stream()
                .filter(device -> device.get("name").getAsString().equals(farm.host))
                .findFirst()
                .orElseThrow()
                .get("id")
                .getAsString();
        String viewer = createToken("viewer");

        Result quarantined = admin.run("devices", "quarantine", farm.host, "--note", "cable loose", "--until", "2h");
        Result listed = admin.run("devices", "-o", "jsonl");
        Result refused = farm.as(viewer).run("devices", "release", deviceId);
        Result released = admin.run("devices", "release", deviceId, "--note", "cable fixed");

        assertThat(quarantined.exitCode()).as(quarantined.toString()).isZero();
        assertThat(quarantined.out()).startsWith("quarantined " + deviceId + " until ");
        assertThat(listed.jsonLines())
                .filteredOn(device -> device.get("id").getAsString().equals(deviceId))
                .singleElement()
                .satisfies(device ->
                        assertThat(device.get("quarantined").getAsBoolean()).isTrue());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(released.out()).isEqualTo("released " + deviceId + "\n");
        assertThat(admin.run("devices", "-o", "jsonl").jsonLines())
                .filteredOn(device -> device.get("id").getAsString().equals(deviceId))
                .singleElement()
                .satisfies(device ->
                        assertThat(device.get("quarantined").getAsBoolean()).isFalse());
        assertThat(admin.run("devices", "release", deviceId).exitCode())
                .as("released twice")
                .isEqualTo(1);
        assertThat(admin.run("devices", "quarantine", deviceId).exitCode())
                .as("without --note")
                .isEqualTo(ExitCodes.USAGE);
        assertThat(admin.run("devices", "quarantine", deviceId, "--note", "x", "--until", "yesterday")
                        .exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(admin.run("devices", "quarantine", "0".repeat(40), "--note", "x")
                        .exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void anAdminLabelsADeviceAndTheLabelIsOneOfItsDimensions() {
        String deviceId = admin.run("devices", "-o", "jsonl").jsonLines().stream()
                .filter(device -> device.get("name").getAsString().equals(farm.host))
                .findFirst()
                .orElseThrow()
                .get("id")
                .getAsString();

        Result labelled = admin.run("devices", "label", deviceId, "subject=angle", "team=graphics");
        Result listed = admin.run("devices", "-o", "jsonl");
        Result cleared = admin.run("devices", "label", deviceId, "--clear");

        assertThat(labelled.exitCode()).as(labelled.toString()).isZero();
        assertThat(labelled.out()).isEqualTo("labelled " + deviceId + ": subject=angle, team=graphics\n");
        assertThat(listed.jsonLines())
                .filteredOn(device -> device.get("id").getAsString().equals(deviceId))
                .singleElement()
                .satisfies(device -> assertThat(device.get("dimensions").toString())
                        .contains("\"key\":\"subject\",\"values\":[\"angle\"]"));
        assertThat(cleared.out()).isEqualTo("labelled " + deviceId + ": no admin labels\n");
        assertThat(admin.run("devices", "label", deviceId).exitCode())
                .as("neither labels nor --clear")
                .isEqualTo(ExitCodes.USAGE);
        assertThat(admin.run("devices", "label", deviceId, "Bad=x").exitCode())
                .as("a bad key")
                .isEqualTo(ExitCodes.USAGE);
        assertThat(admin.run("devices", "label", "0".repeat(40), "a=b").exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void theAuditTrailShowsWhoDidWhat() {
        String name = "cli-audited-" + farm.run;
        admin.run("tokens", "create", name, "--role", "viewer");

        Result table = admin.run("audit", "-n", "20");
        Result json = admin.run("audit", "-n", "1000", "-o", "jsonl");
        Result tooMany = admin.run("audit", "-n", "5000");

        assertThat(table.out().lines().findFirst().orElseThrow())
                .startsWith("AT")
                .contains("ACTOR", "KIND", "SUBJECT", "DETAIL");
        assertThat(table.out()).containsPattern("token t-bootstrap \\(bootstrap\\) +token.created .*name " + name);
        assertThat(json.jsonLines()).anySatisfy(event -> {
            assertThat(event.get("kind").getAsString()).isEqualTo("agent.enrolled");
            assertThat(event.get("detail").getAsString()).contains("host " + farm.host);
        });
        assertThat(tooMany.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooMany.err()).contains("must be between 1 and 1000 (field limit)");
    }
}
