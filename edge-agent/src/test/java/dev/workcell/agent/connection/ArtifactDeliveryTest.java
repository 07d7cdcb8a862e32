package dev.workcell.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    void uploadsTheOutputFilesBeforeSendingTheResultThatListsThem() throws Exception {
        agent.run("capture", "sh", "-c", "head -c 700000 /dev/urandom > capture.bin; echo made > notes.txt");

        TaskUpdate done = agent.awaitUpdate("capture", ActionStatus.SUCCEEDED);

        assertThat(done.getOutput().getArtifactsCount()).isEqualTo(1);
        Artifact capture = done.getOutput().getArtifacts(0);
        assertThat(capture.getName()).isEqualTo("capture.bin");
        assertThat(capture.getSize()).isEqualTo(700_000);
        assertThat(store.content(capture.getSha256()))
                .as("the result came before its artifact")
                .isNotNull();
        agent.acknowledge(done);
        awaitOutboxEmpty();
    }

    @Test
    void failsTheAttemptWithTheReasonWhenTheControlPlaneRefusesAnOutput() throws Exception {
        store.limitSize(1000);

        agent.run("too-big", "sh", "-c", "head -c 5000 /dev/zero > big.bin");

        TaskUpdate failed = agent.awaitUpdate("too-big", ActionStatus.FAILED);
        assertThat(failed.getFailure()).isEqualTo(FailureClass.AGENT_ERROR);
        assertThat(failed.getError().startsWith("the upload of artifact big.bin ("))
                .as(failed.getError())
                .isTrue();
        assertThat(failed.getError()
                        .endsWith(", 5000 bytes) was refused by the control plane: RESOURCE_EXHAUSTED: artifact of"
                                + " 5000 bytes is over the limit of 1000 bytes (workcell.artifacts.max-bytes)"))
                .as(failed.getError())
                .isTrue();
        assertThat(failed.getOutput().getArtifactsList()).isEqualTo(List.of());
        agent.acknowledge(failed);
        awaitOutboxEmpty();
    }

    @Test
    void resumesAnUploadThatBrokeAndSendsTheResultOnce() throws Exception {
        store.breakNextUploadAfter(300_000);

        agent.run("flaky", "sh", "-c", "head -c 1000000 /dev/urandom > capture.bin");

        TaskUpdate done = agent.awaitUpdate("flaky", ActionStatus.SUCCEEDED);
        Artifact capture = done.getOutput().getArtifacts(0);
        List<FakeArtifactStore.Upload> uploads = store.uploads();
        assertThat(uploads.size()).as(uploads.toString()).isEqualTo(2);
        assertThat(uploads.get(0).firstOffset()).isEqualTo(0);
        assertThat(uploads.get(1).firstOffset() >= 300_000)
                .as(uploads.toString())
                .isTrue();
        assertThat(store.content(capture.getSha256())).isNotNull();
        agent.acknowledge(done);
        agent.assertQuiet("flaky", Duration.ofMillis(500));
        awaitOutboxEmpty();
    }

    @Test
    void fetchesTheInputsAndRunsWithTheirLocalPaths() throws Exception {
        Artifact apk = store.put("app.apk", "the app".getBytes());

        agent.run("install", List.of(apk), "cat", "artifact:" + apk.getSha256());

        TaskUpdate done = agent.awaitUpdate("install", ActionStatus.SUCCEEDED);
        assertThat(done.getOutput().getStdoutTail()).isEqualTo("the app");
        assertThat(store.content(apk.getSha256())).isEqualTo("the app".getBytes());
        agent.acknowledge(done);
        awaitOutboxEmpty();
    }

    private void awaitOutboxEmpty() {
        await("the outbox emptied").atMost(AgentStream.WAIT).until(outbox::results, List::isEmpty);
    }
}
