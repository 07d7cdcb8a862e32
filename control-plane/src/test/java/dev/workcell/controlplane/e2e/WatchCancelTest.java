package dev.workcell.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.controlplane.action.ActionChanges;
import dev.workcell.controlplane.testing.Api;
import dev.workcell.controlplane.testing.EagerAgents;
import dev.workcell.controlplane.testing.NodeScripts;
import dev.workcell.controlplane.testing.PostgresResource;
import dev.workcell.controlplane.testing.TestCredentials;
import dev.workcell.proto.v1.AgentService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A third-party gRPC client (grpc-js under Node) opens Watches while actions change and cancels
 * each at a random point: at once (while its credential is still being checked), after a few
 * milliseconds, or after its first changes. None may leave a warning or an error in the log, and
 * every cancelled Watch must release its subscription, in a fresh application as after other tests'
 * load (before the fixes of issue 9, 78 of 200 stayed; then, after {@code SlowWatcherTest}, up to 79
 * of 200 cancelled at once did, whose call Quarkus started after the request handler had returned).
 * Replay a failure with {@code -Dreplay.seed=<the seed its message names>}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WatchCancelTest {

    static final int WATCHES = 200;
    static final long SEED = Long.getLong("replay.seed", 20261201);
    static final Path LOG = Path.of("target", "control-plane-tests.log");

    @Inject
    ActionChanges changes;

    @GrpcClient("agents")
    AgentService agentService;

    @Test
    void watchesAGrpcJsClientCancelsAtRandomPointsLogNothingAndNoneStaysSubscribed() throws Exception {
        int before = changes.liveWatchers();
        long logStart = Files.size(LOG);
        JsonPath summary;
        try (EagerAgents fleet = new EagerAgents(agentService, 2);
                Submitter churn = new Submitter(fleet.targets())) {
            summary = new JsonPath(NodeScripts.run(
                    Duration.ofMinutes(2),
                    "cancel-watches.js",
                    "localhost:" + Api.testPort(),
                    TestCredentials.ADMIN,
                    Path.of("../proto/src/main/proto").toAbsolutePath().toString(),
                    Integer.toString(WATCHES),
                    Long.toString(SEED)));
        }

        String replay = "seed " + SEED + ", summary " + summary.prettify();
        assertThat(summary.getInt("opened")).as(replay).isEqualTo(WATCHES);
        assertThat(summary.getInt("changesReceived"))
                .as("changes the watches received before their cancel; " + replay)
                .isPositive();
        assertThat(summary.getMap("statuses")).as(replay).containsOnlyKeys("CANCELLED");
        SoftAssertions released = new SoftAssertions();
        released.assertThat(logSince(logStart))
                .as("warnings and errors logged meanwhile; " + replay)
                .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
        released.check(() -> await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(changes.liveWatchers())
                        .as("watch subscriptions live, %d before; %s", before, replay)
                        .isLessThanOrEqualTo(before)));
        released.assertAll();
    }

    private static List<String> logSince(long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
            file.seek(offset);
            byte[] added = new byte[(int) (file.length() - offset)];
            file.readFully(added);
            return new String(added, StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Submits an action every 20 ms, round robin over the targets, until closed: changes for the watches. */
    private static final class Submitter implements AutoCloseable {

        private final Thread thread;
        private volatile boolean closed;

        Submitter(List<String> targets) {
            thread = new Thread(
                    () -> {
                        for (int i = 0; !closed; i++) {
                            Api.submitShell(targets.get(i % targets.size()), "echo churn " + i);
                            Api.sleep(20);
                        }
                    },
                    "churn");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            thread.join(10_000);
        }
    }
}
