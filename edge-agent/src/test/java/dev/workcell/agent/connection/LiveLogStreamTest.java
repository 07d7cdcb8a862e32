package dev.workcell.agent.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void shouldStreamTheOutputInOrderWhileTheTaskRunsAndBeforeItsResult() throws Exception {
        agent.run("chatty", "sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.3; done; echo done >&2");

        assertEquals(ActionStatus.RUNNING, agent.next("chatty").getUpdate().getStatus());
        List<LogChunk> chunks = new ArrayList<>();
        AgentMessage next;
        for (next = agent.next("chatty"); next.hasLog(); next = agent.next("chatty")) {
            chunks.add(next.getLog());
        }
        TaskUpdate done = next.getUpdate();

        assertEquals(ActionStatus.SUCCEEDED, done.getStatus());
        assertTrue(chunks.size() >= 2, "the output came in " + chunks.size() + " chunk(s), not as it was written");
        assertEquals("line 1\nline 2\nline 3\n", text(chunks, LogStream.STDOUT));
        assertEquals("done\n", text(chunks, LogStream.STDERR));
        assertEquals(done.getOutput().getStdoutTail(), text(chunks, LogStream.STDOUT));
        agent.acknowledge(done);
    }

    @Test
    void shouldStopTheLogOfACancelledAttemptAndLeaveNothingInTheOutbox() throws Exception {
        agent.run("ticker", "sh", "-c", "while true; do echo tick; sleep 0.05; done");
        assertEquals(ActionStatus.RUNNING, agent.next("ticker").getUpdate().getStatus());
        assertTrue(agent.next("ticker").hasLog());

        agent.cancel("ticker");

        TaskUpdate cancelled = agent.awaitUpdate("ticker", ActionStatus.CANCELLED);
        agent.assertQuiet("ticker", Duration.ofMillis(600));
        agent.acknowledge(cancelled);
        awaitGoneFromOutbox("ticker");
    }

    private void awaitGoneFromOutbox(String actionId) throws InterruptedException {
        long deadline = System.nanoTime() + AgentStream.WAIT.toNanos();
        while (outbox.result(actionId, 1).isPresent()) {
            assertTrue(System.nanoTime() < deadline, actionId + " is still in the outbox");
            Thread.sleep(20);
        }
    }

    private static String text(List<LogChunk> chunks, LogStream stream) {
        StringBuilder text = new StringBuilder();
        long offset = 0;
        for (LogChunk chunk : chunks) {
            if (chunk.getStream() == stream) {
                assertEquals(offset, chunk.getOffset(), "a gap or an overlap in " + stream);
                text.append(chunk.getData().toStringUtf8());
                offset += chunk.getData().size();
            }
        }
        return text.toString();
    }
}
