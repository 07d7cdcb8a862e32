package dev.workcell.agent.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workcell.agent.artifact.FakeArtifactStore;
import dev.workcell.agent.outbox.Outbox;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.FailureClass;
import dev.workcell.proto.v1.TaskUpdate;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakeControlPlaneProfile.class)
class ArtifactDeliveryTest {

    @Inject
    @GrpcService
    FakeControlPlane controlPlane;

    @Inject
    @GrpcService
    FakeArtifactStore store;

    @Inject
    Outbox outbox;

    private AgentStream agent;

    @BeforeEach
    void connect() throws InterruptedException {
        store.reset();
        agent = new AgentStream(controlPlane);
        agent.reconnectAndWelcome();
    }

    @AfterEach
    void resetStore() {
        store.reset();
    }

    @Test
    void shouldUploadTheOutputFilesBeforeSendingTheResultThatListsThem() throws Exception {
        agent.run("capture", "sh", "-c", "head -c 700000 /dev/urandom > capture.bin; echo made > notes.txt");

        TaskUpdate done = agent.awaitUpdate("capture", ActionStatus.SUCCEEDED);

        assertEquals(1, done.getOutput().getArtifactsCount());
        Artifact capture = done.getOutput().getArtifacts(0);
        assertEquals("capture.bin", capture.getName());
        assertEquals(700_000, capture.getSize());
        assertNotNull(store.content(capture.getSha256()), "the result came before its artifact");
        agent.acknowledge(done);
        awaitOutboxEmpty();
    }

    @Test
    void shouldFailTheAttemptWithTheReasonWhenTheControlPlaneRefusesAnOutput() throws Exception {
        store.limitSize(1000);

        agent.run("too-big", "sh", "-c", "head -c 5000 /dev/zero > big.bin");

        TaskUpdate failed = agent.awaitUpdate("too-big", ActionStatus.FAILED);
        assertEquals(FailureClass.AGENT_ERROR, failed.getFailure());
        assertTrue(failed.getError().startsWith("the upload of artifact big.bin ("), failed.getError());
        assertTrue(
                failed.getError()
                        .endsWith(", 5000 bytes) was refused by the control plane: RESOURCE_EXHAUSTED: artifact of"
                                + " 5000 bytes is over the limit of 1000 bytes (workcell.artifacts.max-bytes)"),
                failed.getError());
        assertEquals(List.of(), failed.getOutput().getArtifactsList());
        agent.acknowledge(failed);
        awaitOutboxEmpty();
    }

    @Test
    void shouldResumeAnUploadThatBrokeAndSendTheResultOnce() throws Exception {
        store.breakNextUploadAfter(300_000);

        agent.run("flaky", "sh", "-c", "head -c 1000000 /dev/urandom > capture.bin");

        TaskUpdate done = agent.awaitUpdate("flaky", ActionStatus.SUCCEEDED);
        Artifact capture = done.getOutput().getArtifacts(0);
        List<FakeArtifactStore.Upload> uploads = store.uploads();
        assertEquals(2, uploads.size(), uploads.toString());
        assertEquals(0, uploads.get(0).firstOffset());
        assertTrue(uploads.get(1).firstOffset() >= 300_000, uploads.toString());
        assertNotNull(store.content(capture.getSha256()));
        agent.acknowledge(done);
        agent.assertQuiet("flaky", Duration.ofMillis(500));
        awaitOutboxEmpty();
    }

    @Test
    void shouldFetchTheInputsAndRunWithTheirLocalPaths() throws Exception {
        Artifact apk = store.put("app.apk", "the app".getBytes());

        agent.run("install", List.of(apk), "cat", "artifact:" + apk.getSha256());

        TaskUpdate done = agent.awaitUpdate("install", ActionStatus.SUCCEEDED);
        assertEquals("the app", done.getOutput().getStdoutTail());
        assertArrayEquals("the app".getBytes(), store.content(apk.getSha256()));
        agent.acknowledge(done);
        awaitOutboxEmpty();
    }

    private void awaitOutboxEmpty() throws InterruptedException {
        long deadline = System.nanoTime() + AgentStream.WAIT.toNanos();
        while (!outbox.results().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "still in the outbox: " + outbox.results());
            Thread.sleep(20);
        }
    }
}
