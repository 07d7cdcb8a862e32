package dev.workcell.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.workcell.cli.testing.Cli;
import dev.workcell.cli.testing.Cli.Result;
import dev.workcell.cli.testing.Farm;
import dev.workcell.cli.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The action commands against a real control plane and agent, run as a user runs them (the
 * launcher, stdout not a terminal): submit, get, list, watch, logs, events, cancel, retry, with
 * each output mode and the exit codes that say how actions ended.
 */
class CliActionsIT {

    private static final Pattern STATE_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z  [0-9a-f]{40}  EXEC  \\S+  (QUEUED|DISPATCHED|RUNNING|SUCCEEDED|FAILED \\(\\w+\\)|CANCELLED)"
                    + "( \\(cancel requested\\))?  attempt \\d+.*");

    private static Farm farm;
    private static Cli cli;

    @BeforeAll
    static void startFarm() {
        farm = Farm.shared();
        cli = farm.admin();
    }

    /** An argument that makes each submit distinct, so that no equivalent action is returned instead. */
    private static String unique() {
        return UUID.randomUUID().toString();
    }

    private static String submit(String target, String... argv) {
        List<String> args = new ArrayList<>(List.of("submit", "exec", "-t", target, "-o", "json", "--"));
        args.addAll(List.of(argv));
        Result submitted = cli.run(args.toArray(String[]::new));
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        return submitted.json().getAsJsonObject().get("id").getAsString();
    }

    @Test
    void submitWithWaitEndsZeroAfterTimestampedStateLinesWithoutEscapeCodes() {
        Result result = cli.run("submit", "exec", "-t", farm.phoneA, "--wait", "--", "echo", unique());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).doesNotContain("\u001b");
        List<String> lines = result.out().lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).matches(STATE_LINE));
        assertThat(lines.get(0)).contains("QUEUED");
        assertThat(lines.get(lines.size() - 1)).contains("SUCCEEDED").contains(farm.phoneA);
    }

    @Test
    void submitWithWaitAndJsonPrintsOnlyTheFinalActions() {
        Result result = cli.run(
                "submit",
                "exec",
                "-t",
                farm.phoneA + "," + farm.phoneB,
                "--wait",
                "-o",
                "json",
                "--",
                "echo",
                unique());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().getAsJsonArray()).hasSize(2).allSatisfy(action -> {
            assertThat(action.getAsJsonObject().get("status").getAsString()).isEqualTo("SUCCEEDED");
            assertThat(action.getAsJsonObject()
                            .get("output")
                            .getAsJsonObject()
                            .get("exitCode")
                            .getAsInt())
                    .isZero();
        });
        assertThat(result.json().getAsJsonArray().asList().stream()
                        .map(action ->
                                action.getAsJsonObject().get("targetName").getAsString()))
                .containsExactlyInAnyOrder(farm.phoneA, farm.phoneB);
    }

    @Test
    void aSubmitByDimensionsRunsOnTheDeviceTheyMatchWhichDevicesShowThemFor() {
        Result result = cli.run(
                "submit",
                "exec",
                "--dim",
                "host=" + farm.host,
                "--dim",
                "name=" + farm.phoneB + "|no-such-phone",
                "--wait",
                "-o",
                "json",
                "--",
                "echo",
                unique());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonObject action = result.json().isJsonArray()
                ? result.json().getAsJsonArray().get(0).getAsJsonObject()
                : result.json().getAsJsonObject();
        assertThat(action.get("status").getAsString()).isEqualTo("SUCCEEDED");
        assertThat(action.get("targetName").getAsString()).isEqualTo(farm.phoneB);
        assertThat(cli.run("devices").out()).containsPattern(farm.phoneB + " .*host=[^ ]*" + farm.host);
        Result refused = cli.run("submit", "exec", "--dim", "host=" + farm.host, "--dim", "gpu=powervr*", "--", "true");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(refused.err()).contains("dimension gpu");
    }

    @Test
    void aDeviceSetSubmittedWithACompanionRunsOnOneDeviceHoldingTheOther() {
        Result result = cli.run(
                "submit",
                "exec",
                "--dim",
                "host=" + farm.host,
                "--dim",
                "name=" + farm.phoneA,
                "--companion",
                "host=" + farm.host + ",name=" + farm.phoneB,
                "--wait",
                "-o",
                "json",
                "--",
                "sh",
                "-c",
                "echo companions=$WORKCELL_COMPANION_SERIALS " + unique());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonObject action = result.json().isJsonArray()
                ? result.json().getAsJsonArray().get(0).getAsJsonObject()
                : result.json().getAsJsonObject();
        assertThat(action.get("status").getAsString()).isEqualTo("SUCCEEDED");
        assertThat(action.get("targetName").getAsString()).isEqualTo(farm.phoneA);
        assertThat(action.getAsJsonArray("companions")).hasSize(1);
        assertThat(action.getAsJsonObject("output").get("stdoutTail").getAsString())
                .startsWith("companions=" + farm.phoneB + " ");
        Result misused =
                cli.run("submit", "exec", "-t", farm.phoneA, "--companion", "name=" + farm.phoneB, "--", "true");
        assertThat(misused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(misused.err()).contains("--companion goes with --dim");
    }

    @Test
    void aBatchFileGetsOneResultPerItemAndEndsWithOneWhenAnItemIsRefused() throws Exception {
        String word = unique();
        String phoneA = "{\"operation\": \"EXEC\", \"target\": \"" + farm.phoneA
                + "\", \"input\": {\"exec\": {\"argv\": [\"echo\", \"" + word + "\"]}}}";
        String phoneB = phoneA.replace(farm.phoneA, farm.phoneB);
        Path lines = Files.createTempFile("batch", ".jsonl");
        Files.writeString(
                lines, phoneA + "\n\n" + phoneB + "\n{\"operation\": \"EXEC\", \"target\": \"" + farm.phoneA + "\"}\n");
        Path array = Files.createTempFile("batch", ".json");
        Files.writeString(array, "[" + phoneA + ", " + phoneB + "]");

        Result first = cli.run("submit", "--batch", lines.toString(), "-o", "jsonl");
        Result again = cli.run("submit", "--batch", array.toString(), "-o", "jsonl");

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.FAILED);
        List<JsonObject> results = first.jsonLines();
        assertThat(results).hasSize(3);
        assertThat(results.get(0).has("created")).as(first.toString()).isTrue();
        assertThat(results.get(1).has("created")).isTrue();
        assertThat(results.get(2).getAsJsonObject("refused").get("field").getAsString())
                .isEqualTo("items[2].input");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.jsonLines())
                .extracting(
                        result -> result.getAsJsonObject("existing").get("id").getAsString())
                .containsExactly(
                        results.get(0).getAsJsonObject("created").get("id").getAsString(),
                        results.get(1).getAsJsonObject("created").get("id").getAsString());
    }

    @Test
    void aSubmitCarriesItsPriorityWhichGetShowsAndAPriorityOutOfRangeIsRefused() {
        Result result = cli.run(
                "submit", "exec", "-t", farm.phoneA, "--priority", "7", "--wait", "-o", "json", "--", "echo", unique());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonObject action = result.json().isJsonArray()
                ? result.json().getAsJsonArray().get(0).getAsJsonObject()
                : result.json().getAsJsonObject();
        assertThat(action.get("priority").getAsInt()).isEqualTo(7);
        assertThat(cli.run("get", action.get("id").getAsString()).out()).containsPattern("Priority: +7");
        Result refused = cli.run("submit", "exec", "-t", farm.phoneA, "--priority", "256", "--", "true");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("priority", "256");
    }

    @Test
    void aFailedActionEndsWithOneAndItsError() {
        Result result = cli.run(
                "submit", "exec", "-t", farm.phoneA, "--wait", "--", "sh", "-c", "echo " + unique() + "; exit 3");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("FAILED (TASK_FAILED)").contains("exit code 3");
    }

    @Test
    void waitingOnSeveralActionsEndsWithTheWorstOutcome() {
        String succeeded = submit(farm.phoneA, "echo", unique());
        String failed = submit(farm.phoneB, "sh", "-c", "exit 4; " + unique());
        String sleeping = submit(farm.phoneA, "sh", "-c", "sleep 60", unique());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cli.run("get", sleeping, "-o", "json").out().contains("\"RUNNING\""));
        assertThat(cli.run("cancel", sleeping).exitCode()).isZero();

        Result succeededAndCancelled = cli.run("watch", succeeded, sleeping);
        Result all = cli.run("watch", succeeded, failed, sleeping);
        Result succeededOnly = cli.run("watch", succeeded);

        assertThat(succeededAndCancelled.exitCode())
                .as(succeededAndCancelled.toString())
                .isEqualTo(ExitCodes.CANCELLED);
        assertThat(all.exitCode()).as(all.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(all.out()).contains("3/3 done: 1 succeeded, 1 failed, 1 cancelled");
        assertThat(succeededOnly.exitCode()).isZero();
    }

    @Test
    void aWaitThatRunsOutOfTimeEndsWithSixAndTheActionGoesOn() {
        Result result = cli.run(
                "submit",
                "exec",
                "-t",
                farm.phoneB,
                "--wait",
                "--timeout",
                "2s",
                "--",
                "sh",
                "-c",
                "sleep 30",
                unique());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(result.err()).contains("timed out after 2.0s: 1 of 1 action(s) not over");
        String id = result.out().lines().findFirst().orElseThrow().split("  ")[1];
        assertThat(cli.run("cancel", id, "--wait").exitCode()).isEqualTo(ExitCodes.CANCELLED);
    }

    @Test
    void anActionThatRanPastItsExecutionTimeoutEndsWithSix() {
        Result result = cli.run(
                "submit",
                "exec",
                "-t",
                farm.phoneA,
                "--wait",
                "--execution-timeout",
                "1s",
                "--",
                "sh",
                "-c",
                "sleep 20",
                unique());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(result.out()).contains("FAILED (TIMED_OUT)");
    }

    @Test
    void aTraceIsReplayedAndReportedOnThroughItsArtifact() throws Exception {
        String subject = "com.example.game." + farm.run + "."
                + Math.abs(UUID.randomUUID().getLeastSignificantBits());

        Result trace = cli.run(
                "submit",
                "trace",
                "-t",
                farm.phoneA,
                "--subject",
                subject,
                "--api",
                "vulkan",
                "--duration",
                "5",
                "--wait",
                "-o",
                "json");
        String traceRef = trace.json()
                .getAsJsonObject()
                .getAsJsonObject("output")
                .getAsJsonObject("trace")
                .get("trace")
                .getAsString();
        Result replay = cli.run(
                "submit",
                "replay",
                "-t",
                farm.phoneA,
                "--trace",
                traceRef,
                "--api",
                "vulkan",
                "--gapir-device",
                "host",
                "--wait",
                "-o",
                "json");
        Result report = cli.run(
                "submit",
                "report",
                "-t",
                farm.phoneB,
                "--trace",
                traceRef,
                "--gapir-device",
                "host",
                "--param",
                "k=v",
                "--wait",
                "-o",
                "json");
        String reportRef = report.json()
                .getAsJsonObject()
                .getAsJsonObject("output")
                .getAsJsonObject("report")
                .get("report")
                .getAsString();
        Path dir = Files.createTempDirectory("cli-report-");
        Result download = cli.run("artifacts", "get", reportRef, "--dir", dir.toString());

        assertThat(trace.exitCode()).as(trace.toString()).isZero();
        assertThat(traceRef).startsWith("artifact:");
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.json()
                        .getAsJsonObject()
                        .getAsJsonObject("output")
                        .getAsJsonObject("replay")
                        .get("video")
                        .getAsString())
                .startsWith("artifact:");
        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(download.exitCode()).as(download.toString()).isZero();
        assertThat(Files.readString(dir.resolve("report.txt")))
                .isEqualTo("report on trace of " + subject + " (vulkan) by host\n");
        assertThat(workersOperations()).contains("TRACE", "REPLAY", "REPORT", "EXEC");
    }

    private static String workersOperations() {
        return cli.run("workers")
                .out()
                .lines()
                .filter(line -> line.contains(farm.phoneA))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anExecGetsTheEnvironmentItAsksFor() {
        Result result = cli.run(
                "submit",
                "exec",
                "-t",
                farm.phoneB,
                "--env",
                "GREETING=hello",
                "--env",
                "WHO=" + farm.run,
                "--wait",
                "-o",
                "json",
                "--",
                "sh",
                "-c",
                "echo $GREETING $WHO",
                unique());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json()
                        .getAsJsonObject()
                        .getAsJsonObject("output")
                        .get("stdoutTail")
                        .getAsString())
                .isEqualTo("hello " + farm.run + "\n");
    }

    @Test
    void followPrintsTheLogAsItComesAcrossAttemptsAndStatesOnStderr() {
        Path marker = Path.of(System.getProperty("java.io.tmpdir"), "cli-follow-" + unique());
        String script = "echo first try; if [ -f " + marker + " ]; then echo second try; else touch " + marker
                + "; echo text file busy >&2; exit 1; fi";

        Result result = cli.run("submit", "exec", "-t", farm.phoneB, "--follow", "--", "sh", "-c", script);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("first try\nfirst try\nsecond try\n");
        assertThat(result.err())
                .contains("text file busy\n", "--- attempt 2 ---\n")
                .containsPattern("SUCCEEDED  attempt 2\n");
    }

    @Test
    void followOfSeveralActionsPrefixesEachLineWithItsTarget() {
        String word = unique();
        Result result = cli.run(
                "submit",
                "exec",
                "-t",
                farm.phoneA + "," + farm.phoneB,
                "-f",
                "--",
                "sh",
                "-c",
                "echo one " + word + "; echo two " + word);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines())
                .containsExactlyInAnyOrder(
                        "[" + farm.phoneA + "] one " + word,
                        "[" + farm.phoneA + "] two " + word,
                        "[" + farm.phoneB + "] one " + word,
                        "[" + farm.phoneB + "] two " + word);
    }

    @Test
    void getShowsAnActionForPeopleAndAsTheApiAnswersIt() {
        String id = submit(farm.phoneA, "sh", "-c", "echo out; echo err-line >&2", unique());
        assertThat(cli.run("watch", id).exitCode()).isZero();

        Result table = cli.run("get", id);
        Result json = cli.run("get", id, "-o", "json");
        Result lines = cli.run("get", id, id, "-o", "jsonl");

        assertThat(table.exitCode()).isZero();
        assertThat(table.out())
                .contains(
                        "ID:              " + id,
                        "Status:          SUCCEEDED",
                        "Target:          " + farm.phoneA,
                        "Exit code:       0",
                        "Stderr (last bytes):",
                        "  err-line");
        JsonObject action = json.json().getAsJsonObject();
        assertThat(action.get("id").getAsString()).isEqualTo(id);
        assertThat(action.get("status").getAsString()).isEqualTo("SUCCEEDED");
        assertThat(action.getAsJsonObject("input")
                        .getAsJsonObject("exec")
                        .getAsJsonArray("argv")
                        .get(0)
                        .getAsString())
                .isEqualTo("sh");
        assertThat(lines.jsonLines())
                .hasSize(2)
                .allSatisfy(line -> assertThat(line.get("id").getAsString()).isEqualTo(id));
    }

    @Test
    void listFiltersAsTheApiDoesAndPagesOnRequest() {
        String failed = submit(farm.phoneB, "sh", "-c", "exit 2; " + unique());
        String succeeded = submit(farm.phoneB, "true", unique());
        assertThat(cli.run("watch", failed, succeeded).exitCode()).isEqualTo(ExitCodes.FAILED);

        Result failedOnly = cli.run("list", "--status", "failed", "--target", farm.phoneB, "-o", "jsonl");
        Result sinceNow =
                cli.run("list", "--since", Instant.now().plusSeconds(60).toString(), "-o", "json");
        Result table = cli.run("list", "--target", farm.phoneB, "--operation", "EXEC", "-n", "1");
        Result allPages = cli.run("list", "--target", farm.phoneB, "-n", "1", "--all", "-o", "jsonl");

        assertThat(failedOnly.jsonLines())
                .extracting(action -> action.get("id").getAsString())
                .contains(failed)
                .doesNotContain(succeeded);
        assertThat(failedOnly.jsonLines())
                .allSatisfy(
                        action -> assertThat(action.get("status").getAsString()).isEqualTo("FAILED"));
        assertThat(sinceNow.json().getAsJsonObject().getAsJsonArray("actions")).isEmpty();
        assertThat(sinceNow.json().getAsJsonObject().get("resumeToken").getAsString())
                .isNotEmpty();
        assertThat(table.out().lines()).hasSize(2);
        assertThat(table.out().lines().findFirst().orElseThrow())
                .startsWith("ID")
                .contains("OPERATION", "STATUS", "TARGET", "AGE");
        assertThat(table.out()).contains(succeeded);
        assertThat(table.err()).contains("more: add --page-token ");
        String nextPage = table.err().replaceAll("(?s).*--page-token (\\S+).*", "$1");
        assertThat(cli.run("list", "--target", farm.phoneB, "-n", "1", "--page-token", nextPage)
                        .out())
                .contains(failed);
        assertThat(allPages.jsonLines())
                .extracting(action -> action.get("id").getAsString())
                .contains(failed, succeeded);
    }

    @Test
    void watchWithFiltersPrintsTheLatestThenEachChangeUntilItsTimeIsUp() throws Exception {
        String earlier = submit(farm.phoneA, "echo", unique());
        assertThat(cli.run("watch", earlier).exitCode()).isZero();
        Path out = Files.createTempFile("cli-watch-", ".out");
        Path jsonOut = Files.createTempFile("cli-watch-", ".jsonl");
        Path err = Files.createTempFile("cli-watch-", ".err");
        Process watch = cli.start(out, err, "watch", "--target", farm.phoneA, "-n", "1", "--for", "20s");
        Process jsonWatch = cli.start(
                jsonOut,
                err,
                "watch",
                "--target",
                farm.phoneA,
                "--status",
                "SUCCEEDED",
                "-n",
                "1",
                "--for",
                "20s",
                "-o",
                "jsonl");
        try {
            // each printed the latest matching action first: it has listed, and watches from that point on
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Processes.read(out).contains(earlier)
                            && Processes.read(jsonOut).contains(earlier));

            String id = submit(farm.phoneA, "echo", unique());

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Processes.read(out))
                            .containsPattern(id + "  EXEC  " + farm.phoneA + "  SUCCEEDED"));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Processes.read(jsonOut)).contains(id));
            assertThat(Processes.read(out).lines())
                    .allSatisfy(line -> assertThat(line).matches(STATE_LINE));
            assertThat(Processes.read(out).lines().filter(line -> line.contains(id)))
                    .anyMatch(line -> line.contains("RUNNING"));
            assertThat(Processes.read(jsonOut)
                            .lines()
                            .map(line -> JsonParser.parseString(line).getAsJsonObject()))
                    .allSatisfy(action ->
                            assertThat(action.get("status").getAsString()).isEqualTo("SUCCEEDED"));
            assertThat(watch.waitFor(60, TimeUnit.SECONDS))
                    .as("--for ends the watch")
                    .isTrue();
            assertThat(watch.exitValue()).isZero();
            assertThat(Processes.read(err)).isEmpty();
        } finally {
            watch.destroy();
            jsonWatch.destroy();
        }
    }

    @Test
    void logsPrintsStdoutAndStderrApartAndFollowsARunningAction() throws Exception {
        String word = unique();
        String id = submit(
                farm.phoneB,
                "sh",
                "-c",
                "echo out " + word + "; echo err " + word + " >&2; sleep 2; echo late " + word);
        Path out = Files.createTempFile("cli-logs-", ".out");
        Path err = Files.createTempFile("cli-logs-", ".err");
        Process follow = cli.start(out, err, "logs", "-f", id);
        assertThat(follow.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Result all = cli.run("logs", id);
        Result stderrOnly = cli.run("logs", id, "--stream", "stderr");
        Result json = cli.run("logs", id, "-o", "jsonl");

        assertThat(follow.exitValue()).isZero();
        assertThat(Processes.read(out)).isEqualTo("out " + word + "\nlate " + word + "\n");
        assertThat(Processes.read(err)).isEqualTo("err " + word + "\n");
        assertThat(all.out()).isEqualTo("out " + word + "\nlate " + word + "\n");
        assertThat(all.err()).isEqualTo("err " + word + "\n");
        assertThat(stderrOnly.out()).isEmpty();
        assertThat(stderrOnly.err()).isEqualTo("err " + word + "\n");
        assertThat(json.jsonLines())
                .extracting(chunk -> chunk.get("stream").getAsString())
                .contains("STDOUT", "STDERR");
        assertThat(json.jsonLines())
                .allSatisfy(
                        chunk -> assertThat(chunk.get("actionId").getAsString()).isEqualTo(id));
    }

    @Test
    void eventsListEachTransitionWithWhoCausedIt() {
        String id = submit(farm.phoneA, "echo", unique());
        assertThat(cli.run("watch", id).exitCode()).isZero();

        Result table = cli.run("events", id);
        Result json = cli.run("events", id, "-o", "json");

        assertThat(table.out().lines().findFirst().orElseThrow())
                .startsWith("SEQ")
                .contains("FROM", "TO", "ACTOR", "REASON");
        assertThat(table.out())
                .containsPattern("QUEUED +t-bootstrap +submitted")
                .contains("RUNNING", "SUCCEEDED");
        assertThat(json.json().getAsJsonObject().getAsJsonArray("events").asList())
                .extracting(event -> event.getAsJsonObject().get("to").getAsString())
                .containsExactly("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED");
    }

    @Test
    void cancelStopsARunningActionAndWaitEndsWithSeven() {
        String id = submit(farm.phoneB, "sh", "-c", "sleep 60", unique());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cli.run("get", id, "-o", "json").out().contains("\"RUNNING\""));

        Result cancelled = cli.run("cancel", id, "--wait");

        assertThat(cancelled.exitCode()).as(cancelled.toString()).isEqualTo(ExitCodes.CANCELLED);
        assertThat(cancelled.out()).contains("RUNNING (cancel requested)").contains("CANCELLED");
    }

    @Test
    void cancellingASucceededActionIsRefusedWithOne() {
        String id = submit(farm.phoneA, "echo", unique());
        assertThat(cli.run("watch", id).exitCode()).isZero();

        Result refused = cli.run("cancel", id);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).startsWith("workcell: ").contains(id).doesNotContain("FAILED_PRECONDITION");
    }

    @Test
    void retryRunsTheSameInputAgainAsANewAction() {
        String word = unique();
        String first = submit(farm.phoneA, "echo", word);
        assertThat(cli.run("watch", first).exitCode()).isZero();

        Result retried = cli.run("retry", first, "--wait", "-o", "json");

        assertThat(retried.exitCode()).as(retried.toString()).isZero();
        JsonObject again = retried.json().getAsJsonObject();
        assertThat(again.get("id").getAsString()).isNotEqualTo(first);
        assertThat(again.get("status").getAsString()).isEqualTo("SUCCEEDED");
        assertThat(again.getAsJsonObject("output").get("stdoutTail").getAsString())
                .isEqualTo(word + "\n");
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameActionAndAnEquivalentOneIsNamed() {
        String key = "cli-" + unique();
        String word = unique();

        Result first = cli.run(
                "submit", "exec", "-t", farm.phoneA, "--idempotency-key", key, "-o", "json", "--", "echo", word);
        Result second = cli.run(
                "submit", "exec", "-t", farm.phoneA, "--idempotency-key", key, "-o", "json", "--", "echo", word);
        Result changed = cli.run("submit", "exec", "-t", farm.phoneA, "--idempotency-key", key, "--", "echo", "other");
        Result equivalent = cli.run("submit", "exec", "-t", farm.phoneA, "--wait", "--", "echo", word);

        assertThat(second.json().getAsJsonObject().get("id"))
                .isEqualTo(first.json().getAsJsonObject().get("id"));
        assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(changed.err()).contains(key);
        assertThat(equivalent.err())
                .contains("returned the existing action "
                        + first.json().getAsJsonObject().get("id").getAsString());
    }

    @Test
    void anActionEditedThroughAPipeIsSubmittedAgain() {
        String id = submit(farm.phoneA, "echo", "before", unique());
        assertThat(cli.run("watch", id).exitCode()).isZero();
        String edited = cli.run("get", id, "-o", "json").out().replace("\"before\"", "\"after\"");

        Result resubmitted = cli.runWithInput(edited, "submit", "json", "-", "--wait", "-o", "json");

        assertThat(resubmitted.exitCode()).as(resubmitted.toString()).isZero();
        assertThat(resubmitted
                        .json()
                        .getAsJsonObject()
                        .getAsJsonObject("output")
                        .get("stdoutTail")
                        .getAsString())
                .startsWith("after ");
        assertThat(resubmitted.json().getAsJsonObject().get("targetName").getAsString())
                .isEqualTo(farm.phoneA);
    }

    @Test
    void artifactsAreListedAndDownloadedCheckedAndResumed() throws Exception {
        String content = "artifact " + unique() + "\n";
        String id = submit(farm.phoneB, "sh", "-c", "printf '" + content.trim() + "\\n' > result.txt");
        assertThat(cli.run("watch", id).exitCode()).isZero();
        Path dir = Files.createTempDirectory("cli-artifacts-");

        Result list = cli.run("artifacts", "list", id, "-o", "jsonl");
        String sha256 = list.jsonLines().get(0).get("sha256").getAsString();
        Result table = cli.run("artifacts", "list", id);
        Result byAction = cli.run("artifacts", "get", id, "--dir", dir.toString());
        Path resumed = dir.resolve("resumed.txt");
        Files.writeString(resumed.resolveSibling("resumed.txt.part"), content.substring(0, 5));
        Result bySha = cli.run("artifacts", "get", sha256, "-O", resumed.toString());

        assertThat(list.jsonLines())
                .singleElement()
                .satisfies(artifact ->
                        assertThat(artifact.get("name").getAsString()).isEqualTo("result.txt"));
        assertThat(table.out()).contains(sha256, "result.txt");
        assertThat(byAction.exitCode()).as(byAction.toString()).isZero();
        assertThat(Files.readString(dir.resolve("result.txt"))).isEqualTo(content);
        assertThat(bySha.exitCode()).as(bySha.toString()).isZero();
        assertThat(Files.readString(resumed)).isEqualTo(content);
        assertThat(resumed.resolveSibling("resumed.txt.part")).doesNotExist();
        assertThat(cli.run("artifacts", "get", "0".repeat(64), "--dir", dir.toString())
                        .exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void devicesAndWorkersShowTheAgentsTargets() {
        Result devices = cli.run("devices");
        Result devicesJson = cli.run("devices", "-o", "json");
        Result workers = cli.run("workers");
        Result workersJsonl = cli.run("workers", "-o", "jsonl");

        assertThat(devices.out()).containsPattern(farm.phoneA + " +" + farm.phoneA + " .* yes ");
        assertThat(devicesJson
                        .json()
                        .getAsJsonObject()
                        .getAsJsonArray("devices")
                        .asList())
                .extracting(device -> device.getAsJsonObject().get("name").getAsString())
                .contains(farm.host, farm.phoneA, farm.phoneB);
        assertThat(workers.out()).containsPattern(farm.host + " +" + farm.phoneB + " +yes +(ONLINE|BUSY) ");
        assertThat(workersJsonl.jsonLines())
                .filteredOn(worker -> worker.get("hostName").getAsString().equals(farm.host))
                .hasSize(2)
                .allSatisfy(
                        worker -> assertThat(worker.get("live").getAsBoolean()).isTrue());
    }

    @Test
    void unknownIdsEndWithFourAndBadInputWithTwo() {
        Result unknown = cli.run("get", "0".repeat(40));
        Result notAnId = cli.run("get", "nonsense");
        Result unknownTarget = cli.run("submit", "exec", "-t", "no-such-device-" + farm.run, "--", "true");
        Result unknownOption = cli.run("list", "--colour");
        Result badStatus = cli.run("list", "--status", "sleeping");
        Result keyForTwo = cli.run(
                "submit", "exec", "-t", farm.phoneA + "," + farm.phoneB, "--idempotency-key", "k", "--", "true");

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).isEqualTo("workcell: no action " + "0".repeat(40) + "\n");
        assertThat(unknownTarget.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknownTarget.err()).contains("no worker for device no-such-device-" + farm.run);
        assertThat(notAnId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notAnId.err()).contains("not an action id");
        assertThat(unknownOption.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOption.err()).contains("Unknown option: '--colour'");
        assertThat(badStatus.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(keyForTwo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(keyForTwo.err()).contains("--idempotency-key names one action");
    }

    @Test
    void anUnreachableControlPlaneEndsWithThree() {
        Cli nowhere = farm.admin().with(Map.of("WORKCELL_SERVER", "http://127.0.0.1:" + Processes.freePort()));

        Result grpc = nowhere.run("list");
        Result rest = nowhere.run("whoami");

        assertThat(grpc.exitCode()).as(grpc.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(grpc.err()).contains("cannot reach the control plane").contains("Connection refused");
        assertThat(rest.exitCode()).as(rest.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(rest.err()).contains("cannot reach http://127.0.0.1:");
    }

    @Test
    void anInterruptedWaitEndsWith130() throws Exception {
        Path out = Files.createTempFile("cli-interrupt-", ".out");
        Path err = Files.createTempFile("cli-interrupt-", ".err");
        Process waiting = cli.start(
                out, err, "submit", "exec", "-t", farm.phoneB, "--wait", "--", "sh", "-c", "sleep 30", unique());
        await().atMost(Duration.ofSeconds(60)).until(() -> Processes.read(out).contains("RUNNING"));

        new ProcessBuilder("kill", "-INT", Long.toString(waiting.pid())).start().waitFor();

        assertThat(waiting.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting.exitValue()).isEqualTo(ExitCodes.INTERRUPTED);
        String id = Processes.read(out).lines().findFirst().orElseThrow().split("  ")[1];
        assertThat(cli.run("cancel", id).exitCode()).isZero();
    }
}
