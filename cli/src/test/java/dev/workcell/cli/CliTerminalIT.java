package dev.workcell.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.cli.testing.Cli;
import dev.workcell.cli.testing.Farm;
import dev.workcell.cli.testing.Tmux;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI on a real terminal (tmux), read from the screen: while actions run, one line each is
 * redrawn in place with its state, elapsed time and last log line, under a summary bar; Ctrl-C ends
 * a watch with 130 and gives the cursor back.
 */
class CliTerminalIT {

    private static Farm farm;
    private static Cli cli;

    @BeforeAll
    static void startFarm() {
        farm = Farm.shared();
        cli = farm.admin();
    }

    /** What the launcher needs of the environment, and the CLI's own settings: tmux runs it with nothing else. */
    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        for (String name :
                List.of("PATH", "HOME", "LANG", "JAVA", "XDG_CONFIG_HOME", "WORKCELL_SERVER", "WORKCELL_TOKEN")) {
            String value = cli.environment().get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.put("TERM", "xterm-256color");
        return env;
    }

    private static long linesWith(List<String> screen, String text) {
        return screen.stream().filter(line -> line.contains(text)).count();
    }

    @Test
    void waitingRedrawsOneLinePerActionInPlaceWithItsLastLogLineAndASummaryBar() {
        String script = "for i in 1 2 3 4 5 6 7 8 9 10; do echo step $i; sleep 0.4; done # " + UUID.randomUUID();
        try (Tmux terminal = new Tmux(
                cli.command(
                        "submit", "exec", "-t", farm.phoneA + "," + farm.phoneB, "--wait", "--", "sh", "-c", script),
                environment(),
                160,
                30)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<String> screen = terminal.screen();
                assertThat(screen)
                        .anySatisfy(line -> assertThat(line)
                                .contains(farm.phoneA, "RUNNING", "EXEC")
                                .containsPattern("step \\d+$"));
                assertThat(screen)
                        .anySatisfy(line -> assertThat(line)
                                .contains(farm.phoneB, "RUNNING")
                                .containsPattern("step \\d+$"));
            });
            List<String> running = terminal.screen();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> terminal.screenText().contains("EXIT="));
            List<String> done = terminal.screen();

            assertThat(linesWith(running, farm.phoneA))
                    .as("redrawn in place:\n" + String.join("\n", running))
                    .isEqualTo(1);
            assertThat(linesWith(running, farm.phoneB)).isEqualTo(1);
            assertThat(running).anySatisfy(line -> assertThat(line).matches("\\[[#-]{20}] \\d/2 done.*"));
            assertThat(running).noneSatisfy(line -> assertThat(line).contains("\u001b"));
            assertThat(linesWith(done, farm.phoneA)).as(String.join("\n", done)).isEqualTo(1);
            assertThat(linesWith(done, farm.phoneB)).isEqualTo(1);
            assertThat(done).anySatisfy(line -> assertThat(line).contains(farm.phoneA, "SUCCEEDED"));
            assertThat(done).anySatisfy(line -> assertThat(line).contains(farm.phoneB, "SUCCEEDED"));
            assertThat(done).contains("[####################] 2/2 done: 2 succeeded", "EXIT=0");
            assertThat(linesWith(done, "RUNNING")).isZero();
            assertThat(terminal.cursorVisible()).isTrue();
        }
    }

    @Test
    void aFailedActionShowsItsErrorAndTheExitCodeSaysSo() {
        try (Tmux terminal = new Tmux(
                cli.command(
                        "submit",
                        "exec",
                        "-t",
                        farm.phoneB,
                        "--wait",
                        "--",
                        "sh",
                        "-c",
                        "echo working; exit 5 # " + UUID.randomUUID()),
                environment(),
                160,
                30)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> terminal.screenText().contains("EXIT="));

            assertThat(terminal.screen())
                    .anySatisfy(line -> assertThat(line).contains(farm.phoneB, "FAILED (TASK_FAILED)", "exit code 5"))
                    .contains("EXIT=1");
        }
    }

    @Test
    void aWatchOfTheFleetsActionsShowsNewOnesAndCtrlCEndsItWith130() {
        try (Tmux terminal =
                new Tmux(cli.command("watch", "--target", farm.phoneA, "-n", "3"), environment(), 160, 30)) {
            String id = cli.run(
                            "submit",
                            "exec",
                            "-t",
                            farm.phoneA,
                            "-o",
                            "json",
                            "--",
                            "sh",
                            "-c",
                            "echo watched; sleep 1 # " + UUID.randomUUID())
                    .json()
                    .getAsJsonObject()
                    .get("id")
                    .getAsString();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(terminal.screen())
                            .anySatisfy(line -> assertThat(line)
                                    .startsWith(id.substring(0, 12))
                                    .contains("SUCCEEDED")));
            assertThat(linesWith(terminal.screen(), id.substring(0, 12))).isEqualTo(1);

            terminal.keys("C-c");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> terminal.screenText().contains("EXIT="));
            assertThat(terminal.screen()).anySatisfy(line -> assertThat(line).endsWith("EXIT=130"));
            assertThat(terminal.cursorVisible()).as("the cursor is shown again").isTrue();
        }
    }
}
