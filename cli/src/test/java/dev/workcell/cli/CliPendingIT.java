package dev.workcell.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.workcell.cli.testing.Cli;
import dev.workcell.cli.testing.Cli.Result;
import dev.workcell.cli.testing.Farm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** workcell pending against a real control plane and agent: why a queued action waits, as text and as JSON. */
class CliPendingIT {

    private static Farm farm;
    private static Cli cli;

    @BeforeAll
    static void startFarm() {
        farm = Farm.shared();
        cli = farm.admin();
    }

    private static String submit(String... argv) {
        List<String> args = new ArrayList<>(List.of("submit", "exec", "-t", farm.phoneA, "-o", "json", "--"));
        args.addAll(List.of(argv));
        Result submitted = cli.run(args.toArray(String[]::new));
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        return submitted.json().getAsJsonObject().get("id").getAsString();
    }

    @Test
    void pendingNamesTheActionThatKeepsItsDeviceBusyAsTextAndAsJson() {
        String running = submit("sh", "-c", "sleep 60; echo " + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cli.run("get", running, "-o", "json").out().contains("\"RUNNING\""));
        String waiting = submit("echo", UUID.randomUUID().toString());
        try {
            Result text = cli.run("pending", waiting);
            Result json = cli.run("pending", waiting, "-o", "json");

            assertThat(text.exitCode()).as(text.toString()).isZero();
            assertThat(text.out())
                    .contains("Reason:          DEVICES_BUSY")
                    .contains("Position:        1")
                    .contains("runs " + running + " (EXEC, RUNNING since ");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            JsonObject why = json.json().getAsJsonObject();
            assertThat(why.get("reason").getAsString()).isEqualTo("DEVICES_BUSY");
            assertThat(why.getAsJsonArray("slices")
                            .get(0)
                            .getAsJsonObject()
                            .getAsJsonArray("busyDevices")
                            .get(0)
                            .getAsJsonObject()
                            .get("actionId")
                            .getAsString())
                    .isEqualTo(running);
        } finally {
            cli.run("cancel", waiting);
            cli.run("cancel", running);
        }
    }

    @Test
    void pendingOfAnUnknownActionEndsWithNotFound() {
        Result result = cli.run("pending", "0".repeat(40));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
