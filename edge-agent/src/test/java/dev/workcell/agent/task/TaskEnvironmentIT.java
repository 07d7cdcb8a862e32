package dev.workcell.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.agent.device.FakeAdb;
import dev.workcell.agent.testing.AgentProcess;
import dev.workcell.agent.testing.StandaloneControlPlane;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.TargetDevice;
import dev.workcell.proto.v1.TaskUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent, started with secrets in its environment, passes none of them to its tasks or to adb. */
class TaskEnvironmentIT {

    private static final String HOST = "environment-it";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Set in the agent's environment: its settings and credentials, and a variable tasks may see. */
    private static final Map<String, String> AGENT_ENVIRONMENT = Map.of(
            "WORKCELL_AGENT_KILL_GRACE", "2s",
            "QUARKUS_LOG_LEVEL", "INFO",
            "GITHUB_TOKEN", "ghp_not-for-tasks",
            "AWS_SECRET_ACCESS_KEY", "aws-not-for-tasks",
            "LAB_DB_PASSWORD", "db-not-for-tasks",
            "LANG", "C.UTF-8");

    @TempDir
    Path workDir;

    @TempDir
    Path adbDir;

    @Test
    void givesTasksAndAdbACleanEnvironmentAndAndroidTasksTheirSerial() throws Exception {
        FakeAdb.install(adbDir.resolve("fake")).plug(FakeAdb.PIXEL);
        Path adbEnvironment = adbDir.resolve("adb-environment");
        Path adb = Files.writeString(
                adbDir.resolve("adb"),
                "#!/bin/sh\nenv > " + adbEnvironment + "\nexec "
                        + FakeAdb.in(adbDir.resolve("fake")).executable() + " \"$@\"\n");
        assertThat(adb.toFile().setExecutable(true)).isTrue();

        try (StandaloneControlPlane controlPlane = StandaloneControlPlane.start();
                AgentProcess agent = AgentProcess.start(
                        controlPlane.port(),
                        "64m",
                        Map.of(
                                "workcell.agent.host-name",
                                HOST,
                                "workcell.agent.serve-host",
                                "true",
                                "workcell.agent.work-dir",
                                workDir.toString(),
                                "workcell.agent.discovery.adb",
                                adb.toString()),
                        AGENT_ENVIRONMENT)) {
            assertThat(controlPlane.awaitHello(WAIT).getTargetsList().stream()
                            .map(TargetDevice::getDevice)
                            .map(Device::getSerial)
                            .toList()
                            .contains(FakeAdb.PIXEL))
                    .as(agent.logText())
                    .isTrue();
            // One after the other: waiting for one result passes over the others.
            controlPlane.run("host-env", HOST, "env");
            Map<String, String> host = environment(finalOf(controlPlane, "host-env", agent));
            controlPlane.run("android-env", 1, FakeAdb.PIXEL, "env");
            Map<String, String> android = environment(finalOf(controlPlane, "android-env", agent));

            for (Map<String, String> seen : List.of(host, android, environment(Files.readString(adbEnvironment)))) {
                assertThat(seen.keySet().stream()
                                .filter(name -> name.startsWith("WORKCELL_AGENT")
                                        || name.startsWith("WORKCELL_CONTROL")
                                        || name.startsWith("QUARKUS")
                                        || AGENT_ENVIRONMENT.containsKey(name) && !name.equals("LANG"))
                                .toList())
                        .as("the agent's settings or credentials reached a child process")
                        .isEqualTo(List.of());
                assertThat(seen.values().stream()
                                .anyMatch(value -> value.contains("not-for-tasks")
                                        || value.equals(StandaloneControlPlane.ENROLLMENT_TOKEN)))
                        .as(seen.toString())
                        .isFalse();
                assertThat(seen.get("LANG")).isEqualTo("C.UTF-8");
                assertThat(seen.containsKey("PATH")).as(seen.toString()).isTrue();
            }
            assertThat(android.get("ANDROID_SERIAL")).isEqualTo(FakeAdb.PIXEL);
            assertThat(host.containsKey("ANDROID_SERIAL")).as(host.toString()).isFalse();
        }
    }

    private static String finalOf(StandaloneControlPlane controlPlane, String actionId, AgentProcess agent)
            throws InterruptedException {
        TaskUpdate update;
        try {
            update = controlPlane.awaitUpdate(actionId, done -> done.getStatus() != ActionStatus.RUNNING, WAIT);
        } catch (AssertionError none) {
            throw new AssertionError("no result of " + actionId + ":\n" + agent.logText(), none);
        }
        assertThat(update.getStatus()).as(update.getError()).isEqualTo(ActionStatus.SUCCEEDED);
        return update.getOutput().getStdoutTail();
    }

    private static Map<String, String> environment(String env) {
        return env.lines()
                .filter(line -> line.contains("="))
                .collect(Collectors.toMap(
                        line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1),
                        (first, second) -> second));
    }
}
