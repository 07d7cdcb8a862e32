package dev.workcell.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.agent.testing.AgentProcess;
import dev.workcell.agent.testing.StandaloneControlPlane;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent losing its stream: to silence, to a control plane that goes away, to a refusal. */
class ReconnectIT {

    private static final String HOST = "reconnect-it";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DROPPED = "Mutiny had to drop";

    @TempDir
    Path workDir;

    /** The standalone control plane answers no heartbeat: with a 1 s silence timeout, every stream goes silent. */
    @Test
    void endsASilentStreamItselfAndDropsNoErrorWhenTheControlPlaneGoes() throws Exception {
        try (StandaloneControlPlane controlPlane = StandaloneControlPlane.start();
                AgentProcess agent = agent(controlPlane, Map.of("workcell.agent.silence-timeout", "1s"))) {
            await().atMost(WAIT).until(() -> controlPlane.helloNanos().size() >= 3);
            await().atMost(WAIT).until(() -> controlPlane.streamsEndedByAgent().size() >= 2);
            assertThat(controlPlane.streamsEndedByAgent().stream().allMatch(Status.Code.CANCELLED::equals))
                    .as(controlPlane.streamsEndedByAgent().toString())
                    .isTrue();

            controlPlane.stop();
            long before = agent.count("Connection refused");
            await().atMost(WAIT).until(() -> agent.count("Connection refused") >= before + 2);

            assertThat(agent.count(DROPPED)).as(agent.logText()).isEqualTo(0);
            assertThat(agent.count("(CANCELLED: nothing from the control plane for PT1S)") >= 2)
                    .as(agent.logText())
                    .isTrue();
        }
    }

    @Test
    void waitsTheRefusedDelayAfterARefusalAndSaysSoOncePerRefusal() throws Exception {
        try (StandaloneControlPlane controlPlane = StandaloneControlPlane.start()) {
            controlPlane.refuse(Status.PERMISSION_DENIED.withDescription(
                    "this agent enrolled for host a1b2 and may not register" + " as host c3d4"));
            try (AgentProcess agent = agent(controlPlane, Map.of("workcell.agent.reconnect.refused-delay", "3s"))) {
                await().atMost(WAIT).until(() -> controlPlane.helloNanos().size() >= 3);

                List<Long> hellos = controlPlane.helloNanos();
                for (int i = 1; i < hellos.size(); i++) {
                    Duration gap = Duration.ofNanos(hellos.get(i) - hellos.get(i - 1));
                    assertThat(gap.compareTo(Duration.ofMillis(2400)) >= 0)
                            .as("hello " + i + " came " + gap + " after the refusal")
                            .isTrue();
                }
                String line = "the control plane at 127.0.0.1:" + controlPlane.port()
                        + " refused this agent (PERMISSION_DENIED: this"
                        + " agent enrolled for host a1b2 and may not register as host c3d4); trying again in ";
                await().atMost(WAIT).until(() -> agent.count(line) >= 2);
                assertThat(agent.count("no connection to the control plane"))
                        .as(agent.logText())
                        .isEqualTo(0);

                controlPlane.refuse(null);
                agent.awaitLog("registered with control plane", WAIT);
            }
        }
    }

    private AgentProcess agent(StandaloneControlPlane controlPlane, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of(
                "workcell.agent.host-name",
                HOST,
                "workcell.agent.work-dir",
                workDir.toString(),
                "workcell.agent.discovery.adb-enabled",
                "false",
                "workcell.agent.reconnect.max-delay",
                "500ms"));
        all.putAll(settings);
        return AgentProcess.start(controlPlane.port(), "64m", all);
    }
}
