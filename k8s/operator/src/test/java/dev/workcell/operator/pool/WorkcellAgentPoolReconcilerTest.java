package dev.workcell.operator.pool;

import static dev.workcell.operator.testing.TestWorkcells.databaseSecret;
import static dev.workcell.operator.testing.TestWorkcells.secret;
import static dev.workcell.operator.testing.TestWorkcells.spec;
import static dev.workcell.operator.testing.TestWorkcells.tlsSecret;
import static dev.workcell.operator.testing.TestWorkcells.with;
import static dev.workcell.operator.testing.TestWorkcells.workcell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workcell.operator.pool.WorkcellAgentPoolSpec.DrainSpec;
import dev.workcell.operator.pool.WorkcellAgentPoolSpec.WorkcellRef;
import dev.workcell.operator.testing.AgentPodRunner;
import dev.workcell.operator.testing.ControlPlaneResource;
import dev.workcell.operator.testing.Rest;
import dev.workcell.operator.workcell.WorkcellSpec;
import dev.workcell.operator.workcell.deploy.BootstrapAdminToken;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The agent-pool reconciler on the fabric8 mock API server (CRUD mode) against a real control plane
 * on a real PostgreSQL (ControlPlaneResource). The mock server runs no pods, so AgentPodRunner plays
 * the kubelet: it runs a real edge agent per pod the operator creates, enrolled with the token of
 * the pool's Secret, and stops it when the pod is deleted.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(ControlPlaneResource.class)
class WorkcellAgentPoolReconcilerTest {

    private static final String NS = "test";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = ControlPlaneResource.PORT)
    int controlPlanePort;

    @ConfigProperty(name = ControlPlaneResource.ADMIN_TOKEN)
    String adminToken;

    @ConfigProperty(name = ControlPlaneResource.LOG)
    String controlPlaneLog;

    @Test
    void aPoolGetsAReusableEnrollmentTokenScalesUpWhileActionsQueueAndBackDownToMinAgentsDrainingOnlyIdleAgents()
            throws IOException {
        realWorkcell();
        Rest rest = new Rest("http://127.0.0.1:" + controlPlanePort, adminToken);
        WorkcellAgentPool pool = pool(
                "lab",
                new WorkcellAgentPoolSpec(
                        new WorkcellRef(ControlPlaneResource.WORKCELL),
                        null,
                        List.of("emulator", "api-34"),
                        Map.of("workcell.dev/emulators", "true"),
                        List.of(new TolerationBuilder()
                                .withKey("emulators")
                                .withOperator("Exists")
                                .withEffect("NoSchedule")
                                .build()),
                        new ResourceRequirementsBuilder()
                                .addToLimits("devices.kubevirt.io/kvm", new Quantity("1"))
                                .build(),
                        1,
                        3,
                        null,
                        "1s",
                        null));
        try (AgentPodRunner kubelet =
                new AgentPodRunner(client, NS, PoolLabels.selector(pool), rest, controlPlanePort)) {
            long created = System.nanoTime();
            pool = client.resource(pool).create();

            Secret enrollment = await().atMost(WAIT)
                    .until(
                            () -> client.secrets()
                                    .inNamespace(NS)
                                    .withName("lab-enrollment")
                                    .get(),
                            secret -> secret != null);
            System.out.printf(
                    "Pool created -> enrollment Secret stored: %d ms%n", (System.nanoTime() - created) / 1_000_000);
            assertThat(enrollment.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(owner -> assertThat(owner.getUid())
                            .isEqualTo(client.resource(pool("lab"))
                                    .get()
                                    .getMetadata()
                                    .getUid()));
            String tokenId = enrollment.getMetadata().getAnnotations().get(EnrollmentSecret.TOKEN_ID);
            JsonNode token = find(rest.get("/api/v1/enrollment-tokens"), "id", tokenId);
            assertThat(token.path("pool").asText()).isEqualTo("lab");
            assertThat(token.path("reusable").asBoolean()).isTrue();
            assertThat(token.path("labels").toString()).isEqualTo("[\"emulator\",\"api-34\"]");
            assertThat(Instant.parse(enrollment.getMetadata().getAnnotations().get(EnrollmentSecret.EXPIRES_AT)))
                    .isEqualTo(OffsetDateTime.parse(token.path("expiresAt").asText())
                            .toInstant())
                    .isBetween(
                            Instant.now().plus(Duration.ofHours(23)),
                            Instant.now().plus(Duration.ofHours(24)));

            awaitStatus("lab", status -> status.getReady() != null && status.getReady() == 1);
            System.out.printf(
                    "Pool created -> first agent connected: %d ms%n", (System.nanoTime() - created) / 1_000_000);
            String first = kubelet.started().get(0);
            assertAgentPod(pods("lab").get(0), pool);

            Path release = Files.createTempDirectory("operator-test-release-").resolve("release");
            long queued = System.nanoTime();
            List<String> actions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                actions.add(rest.post(
                                "/api/v1/actions",
                                Map.of(
                                        "operation",
                                        "EXEC",
                                        "target",
                                        AgentPodRunner.device(first),
                                        "input",
                                        Map.of(
                                                "exec",
                                                Map.of(
                                                        "argv",
                                                        List.of(
                                                                "sh",
                                                                "-c",
                                                                "while [ ! -e " + release + " ]; do sleep 0.1; done",
                                                                "action-" + i)))))
                        .path("action")
                        .path("id")
                        .asText());
            }
            await().atMost(WAIT).until(() -> {
                kubelet.assertNoFailure();
                return pods("lab").size() == 3;
            });
            System.out.printf(
                    "3 actions queued for one agent -> 2 more agent pods created: %d ms%n",
                    (System.nanoTime() - queued) / 1_000_000);
            WorkcellAgentPoolStatus busy = awaitStatus("lab", status -> status.getReady() == 3);
            assertThat(busy.getDesired()).isEqualTo(3);
            assertThat(busy.getBusy()).isEqualTo(1);
            assertThat(busy.getQueued()).isEqualTo(2);
            assertThat(condition("lab", PoolConditions.READY).getStatus()).isEqualTo("True");
            assertThat(condition("lab", PoolConditions.SCALING_LIMITED).getStatus())
                    .isEqualTo("False");
            assertThat(kubelet.deletions())
                    .as("nothing is removed while the queue needs the agents")
                    .isEmpty();

            Files.createFile(release);
            await().atMost(WAIT)
                    .until(() -> actions.stream()
                            .allMatch(id -> "SUCCEEDED"
                                    .equals(rest.get("/api/v1/actions/" + id)
                                            .path("status")
                                            .asText())));
            await().atMost(WAIT).untilAsserted(() -> {
                kubelet.assertNoFailure();
                assertThat(pods("lab")).hasSize(1);
                assertThat(kubelet.deletions()).hasSize(2);
            });
            WorkcellAgentPoolStatus settled =
                    awaitStatus("lab", status -> status.getDesired() == 1 && status.getReplicas() == 1);
            assertThat(settled.getQueued()).isZero();
            assertThat(settled.getBusy()).isZero();

            for (AgentPodRunner.Deletion deletion : kubelet.deletions()) {
                assertThat(deletion.draining())
                        .as("%s was drained before its pod was deleted", deletion.pod())
                        .isTrue();
                assertThat(Instant.parse(deletion.drainingSince().replace("+00:00", "Z")))
                        .isBefore(deletion.at());
                assertThat(deletion.runningOnItsDevice())
                        .as("%s ran nothing when deleted", deletion.pod())
                        .isZero();
                JsonNode agent = find(rest.get("/api/v1/agents"), "hostName", deletion.pod());
                await().atMost(WAIT)
                        .until(() -> !find(rest.get("/api/v1/agents"), "hostName", deletion.pod())
                                .path("revokedAt")
                                .isNull());
                assertThat(agent.path("pool").asText()).isEqualTo("lab");
            }
            JsonNode poolView = rest.get("/api/v1/pools/lab");
            assertThat(poolView.path("total").asInt())
                    .as("the removed agents were revoked and left the pool")
                    .isEqualTo(1);
            for (String id : actions) {
                assertThat(rest.get("/api/v1/actions/" + id).path("attempt").asInt())
                        .as("no action was interrupted")
                        .isEqualTo(1);
            }
            assertThat(Files.readString(Path.of("target/operator-tests.log"))).doesNotContain(secretOf(enrollment));
        }
    }

    @Test
    void anEnrollmentTokenCloseToItsExpiryIsReplacedAndTheOldOneIsLeftToExpire() {
        realWorkcell();
        Rest rest = new Rest("http://127.0.0.1:" + controlPlanePort, adminToken);
        client.resource(pool(
                        "rotating",
                        new WorkcellAgentPoolSpec(
                                new WorkcellRef(ControlPlaneResource.WORKCELL),
                                null,
                                null,
                                null,
                                null,
                                null,
                                0,
                                1,
                                null,
                                null,
                                null)))
                .create();
        Secret first = await().atMost(WAIT)
                .until(
                        () -> client.secrets()
                                .inNamespace(NS)
                                .withName("rotating-enrollment")
                                .get(),
                        secret -> secret != null);
        String firstId = first.getMetadata().getAnnotations().get(EnrollmentSecret.TOKEN_ID);

        // As if a day had passed: one hour left, less than workcell.operator.pools.token-renew-before (8h).
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> client.secrets()
                                .inNamespace(NS)
                                .withName("rotating-enrollment")
                                .edit(secret -> {
                                    secret.getMetadata()
                                            .getAnnotations()
                                            .put(
                                                    EnrollmentSecret.EXPIRES_AT,
                                                    Instant.now()
                                                            .plus(Duration.ofHours(1))
                                                            .toString());
                                    return secret;
                                })
                        != null);
        Secret second = await().atMost(WAIT)
                .until(
                        () -> client.secrets()
                                .inNamespace(NS)
                                .withName("rotating-enrollment")
                                .get(),
                        secret -> !firstId.equals(
                                secret.getMetadata().getAnnotations().get(EnrollmentSecret.TOKEN_ID)));
        assertThat(secretOf(second)).startsWith("wce_").isNotEqualTo(secretOf(first));
        assertThat(Instant.parse(second.getMetadata().getAnnotations().get(EnrollmentSecret.EXPIRES_AT)))
                .isAfter(Instant.now().plus(Duration.ofHours(23)));
        JsonNode tokens = rest.get("/api/v1/enrollment-tokens");
        assertThat(find(tokens, "id", second.getMetadata().getAnnotations().get(EnrollmentSecret.TOKEN_ID))
                        .path("pool")
                        .asText())
                .isEqualTo("rotating");
        assertThat(find(tokens, "id", firstId).path("revokedAt").isNull())
                .as("a pod starting with the old token still enrolls")
                .isTrue();
    }

    @Test
    void aPoolWhoseWorkcellDoesNotExistIsDegradedAndGetsNothing() {
        client.resource(pool("orphan", poolSpec("nowhere", 0, 2))).create();
        Condition degraded = awaitCondition("orphan", PoolConditions.DEGRADED, "True", "WorkcellNotFound");
        assertThat(degraded.getMessage()).contains("spec.workcellRef: no Workcell nowhere in namespace test");
        assertThat(pods("orphan")).isEmpty();
        assertThat(client.secrets()
                        .inNamespace(NS)
                        .withName("orphan-enrollment")
                        .get())
                .isNull();
    }

    @Test
    void anUnreachableControlPlaneIsDegradedAndThePoolKeepsItsPods() {
        String name = "unreachable";
        client.resource(databaseSecret(NS, name, "postgres")).create();
        client.resource(tlsSecret(NS, name)).create();
        client.resource(secret(NS, name + "-bootstrap-admin-token", Map.of("token", "wct_not-used")))
                .create();
        client.resource(workcell(NS, name, plaintext(spec(name, 5432)))).create();
        WorkcellAgentPool pool =
                client.resource(pool("far", poolSpec(name, 0, 2))).create();
        Pod existing = new PodBuilder()
                .withMetadata(PoolLabels.metadata(pool, "far-kept1"))
                .withNewSpec()
                .addNewContainer()
                .withName("agent")
                .withImage("workcell/edge-agent:0.1.0")
                .endContainer()
                .endSpec()
                .build();
        existing.addOwnerReference(pool);
        client.resource(existing).create();

        await().atMost(WAIT)
                .until(() -> condition("far", PoolConditions.DEGRADED) != null
                        && condition("far", PoolConditions.DEGRADED)
                                .getMessage()
                                .contains("the pool keeps its pods (1)"));
        Condition degraded = condition("far", PoolConditions.DEGRADED);
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("ControlPlaneUnreachable");
        assertThat(degraded.getMessage())
                .contains("http://unreachable.test.svc:8080/api/v1/")
                .contains("does not answer");
        assertThat(pods("far")).extracting(p -> p.getMetadata().getName()).containsExactly("far-kept1");
    }

    @Test
    void aRefusedEnrollmentTokenIsDegradedWithTheControlPlanesReason() {
        realWorkcell();
        client.resource(pool(
                        "badlabels",
                        new WorkcellAgentPoolSpec(
                                new WorkcellRef(ControlPlaneResource.WORKCELL),
                                null,
                                List.of("no!such label"),
                                null,
                                null,
                                null,
                                0,
                                2,
                                null,
                                null,
                                null)))
                .create();
        Condition degraded = awaitCondition("badlabels", PoolConditions.DEGRADED, "True", "EnrollmentTokenRefused");
        assertThat(degraded.getMessage()).contains("answered 400").contains("labels");
        assertThat(pods("badlabels")).isEmpty();
    }

    @Test
    void demandBeyondMaxAgentsIsReportedAsScalingLimited() {
        realWorkcell();
        client.resource(pool(
                        "capped",
                        new WorkcellAgentPoolSpec(
                                new WorkcellRef(ControlPlaneResource.WORKCELL),
                                null,
                                null,
                                null,
                                null,
                                null,
                                0,
                                1,
                                4,
                                null,
                                null)))
                .create();
        Condition limited = awaitCondition("capped", PoolConditions.SCALING_LIMITED, "True", "MaxAgentsReached");
        assertThat(limited.getMessage()).contains("spec.replicas (set through /scale) 4 exceeds maxAgents 1");
        await().atMost(WAIT).until(() -> pods("capped").size() == 1);
        assertThat(client.resource(pool("capped")).get().getStatus().getDesired())
                .isEqualTo(1);
    }

    /** The Workcell whose control plane the test started, with the admin token that control plane accepts. */
    private void realWorkcell() {
        String name = ControlPlaneResource.WORKCELL;
        if (client.resources(dev.workcell.operator.workcell.Workcell.class)
                        .inNamespace(NS)
                        .withName(name)
                        .get()
                != null) {
            return;
        }
        client.resource(databaseSecret(NS, name, "postgres")).create();
        client.resource(secret(
                        NS,
                        name + "-bootstrap-admin-token",
                        Map.of(
                                BootstrapAdminToken.reference(workcell(NS, name, spec(name, 5432)))
                                        .key(),
                                adminToken)))
                .create();
        client.resource(workcell(NS, name, plaintext(spec(name, 5432)))).create();
    }

    private static WorkcellSpec plaintext(WorkcellSpec spec) {
        return with(spec, "tls", Map.of("plaintext", true));
    }

    private static WorkcellAgentPoolSpec poolSpec(String workcell, int min, int max) {
        return new WorkcellAgentPoolSpec(
                new WorkcellRef(workcell),
                null,
                null,
                null,
                null,
                null,
                min,
                max,
                null,
                null,
                new DrainSpec("30s", true));
    }

    private static WorkcellAgentPool pool(String name, WorkcellAgentPoolSpec spec) {
        WorkcellAgentPool pool = pool(name);
        pool.setSpec(spec);
        return pool;
    }

    private static WorkcellAgentPool pool(String name) {
        WorkcellAgentPool pool = new WorkcellAgentPool();
        pool.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        return pool;
    }

    private void assertAgentPod(Pod pod, WorkcellAgentPool pool) {
        assertThat(pod.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("WorkcellAgentPool"));
        assertThat(pod.getSpec().getNodeSelector()).isEqualTo(Map.of("workcell.dev/emulators", "true"));
        assertThat(pod.getSpec().getTolerations()).extracting(t -> t.getKey()).containsExactly("emulators");
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        Container agent = pod.getSpec().getContainers().get(0);
        assertThat(agent.getImage()).isEqualTo("workcell/edge-agent:0.1.0");
        assertThat(agent.getResources().getLimits()).containsEntry("devices.kubevirt.io/kvm", new Quantity("1"));
        assertThat(agent.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(agent.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(env(agent, "WORKCELL_CONTROL_PLANE_HOST").getValue()).isEqualTo("real.test.svc");
        assertThat(env(agent, "WORKCELL_CONTROL_PLANE_PORT").getValue()).isEqualTo("8080");
        assertThat(env(agent, "WORKCELL_AGENT_PLAINTEXT").getValue()).isEqualTo("true");
        assertThat(env(agent, "WORKCELL_AGENT_HOST_NAME")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("metadata.name");
        var token = env(agent, "WORKCELL_AGENT_ENROLLMENT_TOKEN").getValueFrom().getSecretKeyRef();
        assertThat(token.getName() + "/" + token.getKey()).isEqualTo("lab-enrollment/token");
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> name.equals(e.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static String secretOf(Secret secret) {
        return new String(
                java.util.Base64.getDecoder().decode(secret.getData().get(EnrollmentSecret.KEY)),
                java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + array);
    }

    private List<Pod> pods(String pool) {
        return client.pods()
                .inNamespace(NS)
                .withLabels(PoolLabels.selector(pool(pool)))
                .list()
                .getItems();
    }

    private WorkcellAgentPoolStatus awaitStatus(
            String name, java.util.function.Predicate<WorkcellAgentPoolStatus> check) {
        return await().atMost(WAIT)
                .until(
                        () -> {
                            WorkcellAgentPool pool = client.resource(pool(name)).get();
                            return pool == null ? null : pool.getStatus();
                        },
                        status -> status != null && status.getDesired() != null && check.test(status));
    }

    private Condition awaitCondition(String name, String type, String status, String reason) {
        await().atMost(WAIT).until(() -> {
            Condition condition = condition(name, type);
            return condition != null && status.equals(condition.getStatus()) && reason.equals(condition.getReason());
        });
        return condition(name, type);
    }

    private Condition condition(String name, String type) {
        WorkcellAgentPool pool = client.resource(pool(name)).get();
        return pool == null || pool.getStatus() == null
                ? null
                : pool.getStatus().getConditions().stream()
                        .filter(c -> type.equals(c.getType()))
                        .findFirst()
                        .orElse(null);
    }
}
