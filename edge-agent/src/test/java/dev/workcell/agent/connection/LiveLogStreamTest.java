package dev.workcell.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.agent.outbox.Outbox;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.AgentMessage;
import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;
import dev.workcell.proto.v1.TaskUpdate;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakeControlPlaneProfile.class)
class LiveLogStreamTest {

    @Inject
    @GrpcService
    FakeControlPlane controlPlane;

    @Inject
    Outbox outbox;

    private AgentStream agent;

    @BeforeEach
    void connect() throws InterruptedException {
        agent = new AgentStream(controlPlane);
        agent.reconnectAndWelcome();
    }

    @Test
    void streamsTheOutputInOrderWhileTheTaskRunsAndBeforeItsResult() throws Exception {
        agent.run("chatty", "sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.3; done; echo done >&2");

        assertThat(agent.next("chatty").getUpdate().getStatus()).isEqualTo(ActionStatus.RUNNING);
        List<LogChunk> chunks = new ArrayList<>();
        AgentMessage next;
        for (next = agent.next("chatty"); next.hasLog(); next = agent.next("chatty")) {
            chunks.add(next.getLog());
        }
        TaskUpdate done = next.getUpdate();

        assertThat(done.getStatus()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(chunks.size() >= 2)
                .as("the output came in " + chunks.size() + " chunk(s), not as it was written")
                .isTrue();
        assertThat(text(chunks, LogStream.STDOUT)).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(text(chunks, LogStream.STDERR)).isEqualTo("done\n");
        assertThat(text(chunks, LogStream.STDOUT)).isEqualTo(done.getOutput().getStdoutTail());
        agent.acknowledge(done);
    }

    @Test
    void stopsTheLogOfACancelledAttemptAndLeavesNothingInTheOutbox() throws Exception {
        agent.run("ticker", "sh", "-c", "while true; do echo tick; sleep 0.05; done");
        assertThat(agent.next("ticker").getUpdate().getStatus()).isEqualTo(ActionStatus.RUNNING);
        assertThat(agent.next("ticker").hasLog()).isTrue();

        agent.cancel("ticker");

        TaskUpdate cancelled = agent.awaitUpdate("ticker", ActionStatus.CANCELLED);
        agent.assertQuiet("ticker", Duration.ofMillis(600));
        agent.acknowledge(cancelled);
        awaitGoneFromOutbox("ticker");
    }

    private void awaitGoneFromOutbox(String actionId) {
        await(actionId + " gone from the outbox")
                .atMost(AgentStream.WAIT)
                .until(() -> outbox.result(actionId, 1).isEmpty());
    }

    private static String text(List<LogChunk> chunks, LogStream stream) {
        StringBuilder text = new StringBuilder();
        long offset = 0;
        for (LogChunk chunk : chunks) {
            if (chunk.getStream() == stream) {
                assertThat(chunk.getOffset())
                        .as("a gap or an overlap in " + stream)
                        .isEqualTo(offset);
                text.append(chunk.getData().toStringUtf8());
                offset += chunk.getData().size();
            }
        }
        return text.toString();
    }
}
