package dev.workcell.operator.workcell;

import static dev.workcell.operator.testing.TestWorkcells.databaseSecret;
import static dev.workcell.operator.testing.TestWorkcells.secret;
import static dev.workcell.operator.testing.TestWorkcells.spec;
import static dev.workcell.operator.testing.TestWorkcells.tlsSecret;
import static dev.workcell.operator.testing.TestWorkcells.with;
import static dev.workcell.operator.testing.TestWorkcells.workcell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workcell.operator.common.ConfigHash;
import dev.workcell.operator.testing.ApiRequests;
import dev.workcell.operator.testing.PostgresResource;
import dev.workcell.operator.testing.TestWorkcells;
import dev.workcell.operator.workcell.deploy.ServiceMonitor;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Workcell reconciler against the fabric8 mock API server in CRUD mode (no cluster can run
 * here): it stores what the operator writes but runs no controllers, so the tests play the
 * Deployment controller by writing the Deployment's status, and no schema validation (SpecCheck
 * stands in; the schema itself is checked by CrdSchemaTest). Each test uses its own Workcell.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(PostgresResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkcellReconcilerTest {

    private static final String NS = "test";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TEST_AGENT = "workcell-operator-tests";

    /** The operator's client; the tests use their own (see testClient), so that the requests of each can be told apart. */
    @Inject
    KubernetesClient operatorClient;

    @KubernetesTestServer
    KubernetesServer server;

    private KubernetesClient client;

    @Inject
    Operator operator;

    @ConfigProperty(name = PostgresResource.PORT_PROPERTY)
    int postgresPort;

    @BeforeEach
    void testClient() {
        if (client == null) {
            client = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder(operatorClient.getConfiguration())
                            .withUserAgent(TEST_AGENT)
                            .build())
                    .build();
        }
    }

    @Test
    void aNewWorkcellGetsEveryOwnedObjectWithOwnerReferences() throws IOException {
        String name = "fresh";
        createSecrets(name);
        long start = System.nanoTime();
        Workcell workcell =
                client.resource(workcell(NS, name, spec(name, postgresPort))).create();
        awaitReconciled(name, 1);
        System.out.printf(
                "Reconcile of a new Workcell on the mock server: %d ms%n", (System.nanoTime() - start) / 1_000_000);

        Deployment deployment = deployment(name);
        assertOwnedBy(deployment, workcell);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(WorkcellLabels.selector(workcell));
        var pod = deployment.getSpec().getTemplate();
        assertThat(pod.getMetadata().getLabels())
                .containsAllEntriesOf(WorkcellLabels.selector(workcell))
                .containsEntry(WorkcellLabels.VERSION, TestWorkcells.VERSION);
        assertThat(pod.getMetadata().getAnnotations().get(ConfigHash.ANNOTATION))
                .matches("[0-9a-f]{64}");
        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("workcell/control-plane:0.1.0");
        assertThat(container.getPorts())
                .extracting(p -> p.getName() + "=" + p.getContainerPort())
                .containsExactly("api=8443", "management=9000");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe()))
                .allSatisfy(probe ->
                        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management"));
        assertThat(env(container, "WORKCELL_DB").getValue()).isEqualTo("127.0.0.1:" + postgresPort + "/postgres");
        assertThat(secretRef(container, "WORKCELL_DB_USER")).isEqualTo("fresh-db/username");
        assertThat(secretRef(container, "WORKCELL_DB_PASSWORD")).isEqualTo("fresh-db/password");
        assertThat(secretRef(container, "WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN"))
                .isEqualTo("fresh-bootstrap-admin-token/token");
        assertThat(env(container, "WORKCELL_TLS_PORT").getValue()).isEqualTo("8443");
        assertThat(env(container, "QUARKUS_HTTP_TLS_CONFIGURATION_NAME").getValue())
                .isEqualTo("workcell");
        assertThat(env(container, "JAVA_TOOL_OPTIONS").getValue())
                .isEqualTo("-Dquarkus.tls.workcell.key-store.pem.0.cert=/etc/workcell/tls/tls.crt"
                        + " -Dquarkus.tls.workcell.key-store.pem.0.key=/etc/workcell/tls/tls.key");
        assertThat(container.getEnv()).extracting(EnvVar::getName).doesNotContain("WORKCELL_PLAINTEXT");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getVolumeMounts())
                .extracting(m -> m.getName() + ":" + m.getMountPath())
                .contains("tmp:/tmp", "tls:/etc/workcell/tls");
        assertThat(pod.getSpec().getVolumes())
                .filteredOn(v -> v.getName().equals("tmp"))
                .singleElement()
                .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        assertThat(pod.getSpec()
                        .getAffinity()
                        .getPodAntiAffinity()
                        .getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement()
                .satisfies(term -> {
                    assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                            .isEqualTo(WorkcellLabels.selector(workcell));
                });

        Service api = client.services().inNamespace(NS).withName(name).get();
        assertOwnedBy(api, workcell);
        assertThat(api.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(api.getSpec().getSelector()).isEqualTo(WorkcellLabels.selector(workcell));
        assertThat(api.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(8443);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("api");
        });
        Service management =
                client.services().inNamespace(NS).withName(name + "-management").get();
        assertOwnedBy(management, workcell);
        assertThat(management.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(management.getSpec().getPorts())
                .singleElement()
                .satisfies(port -> assertThat(port.getPort()).isEqualTo(9000));

        PodDisruptionBudget pdb = client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(NS)
                .withName(name)
                .get();
        assertOwnedBy(pdb, workcell);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(WorkcellLabels.selector(workcell));

        NetworkPolicy policy = client.network()
                .networkPolicies()
                .inNamespace(NS)
                .withName(name)
                .get();
        assertOwnedBy(policy, workcell);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(WorkcellLabels.selector(workcell));
        assertThat(policy.getSpec().getIngress()).hasSize(2);
        var apiRule = policy.getSpec().getIngress().get(0);
        assertThat(apiRule.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("api"));
        assertThat(apiRule.getFrom())
                .extracting(peer -> peer.getPodSelector().getMatchLabels())
                .containsExactly(
                        Map.of(WorkcellLabels.AGENT_OF, name),
                        Map.of(WorkcellLabels.CLIENT_OF, name),
                        Map.of(WorkcellLabels.NAME, WorkcellLabels.OPERATOR));
        var managementRule = policy.getSpec().getIngress().get(1);
        assertThat(managementRule.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("management"));
        assertThat(managementRule.getFrom())
                .extracting(peer -> peer.getPodSelector().getMatchLabels())
                .containsExactly(Map.of(WorkcellLabels.NAME, WorkcellLabels.OPERATOR));

        Secret token = client.secrets()
                .inNamespace(NS)
                .withName(name + "-bootstrap-admin-token")
                .get();
        assertOwnedBy(token, workcell);
        String tokenValue =
                new String(Base64.getDecoder().decode(token.getData().get("token")), StandardCharsets.US_ASCII);
        assertThat(tokenValue).matches("wct_[0-9a-f]{64}");
        assertThat(Files.readString(Path.of("target/operator-tests.log"))).doesNotContain(tokenValue);

        assertThat(client.resources(ServiceMonitor.class)
                        .inNamespace(NS)
                        .withName(name)
                        .get())
                .as("no ServiceMonitor unless asked for")
                .isNull();

        WorkcellStatus status = statusOf(name);
        assertThat(status.getEndpoint()).isEqualTo("fresh.test.svc:8443");
        assertThat(status.getBootstrapAdminTokenSecret()).isEqualTo(name + "-bootstrap-admin-token");
        assertThat(condition(name, WorkcellConditions.DATABASE_READY).getReason())
                .isEqualTo("Connected");
        assertThat(condition(name, WorkcellConditions.PROGRESSING).getStatus()).isEqualTo("True");
        assertThat(condition(name, WorkcellConditions.READY).getStatus()).isEqualTo("False");
        assertThat(condition(name, WorkcellConditions.DEGRADED).getStatus()).isEqualTo("False");
    }

    @Test
    void serverSideApplyIsOffSoTheMockServerTakesStatusAndObjects() {
        var configuration = operator.getConfigurationService();
        assertThat(configuration.useSSAToPatchPrimaryResource()).isFalse();
        assertThat(configuration.ssaBasedCreateUpdateMatchForDependentResources())
                .isFalse();
        String name = "no-ssa";
        createWithSecrets(name, spec(name, postgresPort));
        awaitReconciled(name, 1);
        assertThat(deployment(name)).isNotNull();
    }

    @Test
    void anImageChangeRollsTheDeploymentAndIsReadyWhenItsPodsAre() {
        String name = "rolling";
        createWithSecrets(name, spec(name, postgresPort));
        awaitDeployment(name);
        reportRolledOut(name);
        awaitCondition(name, WorkcellConditions.READY, "True", "AllReplicasReady");
        assertThat(statusOf(name).getVersion()).isEqualTo("0.1.0");
        assertThat(statusOf(name).getReadyReplicas()).isEqualTo(2);
        assertThat(condition(name, WorkcellConditions.PROGRESSING).getStatus()).isEqualTo("False");

        String image = "registry.example:5000/workcell/control-plane:0.1.1";
        editSpec(name, spec -> with(spec, "image", image));
        await().atMost(WAIT)
                .until(() -> image.equals(deployment(name)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage()));
        awaitCondition(name, WorkcellConditions.PROGRESSING, "True", "RollingOut");
        assertThat(condition(name, WorkcellConditions.READY).getStatus()).isEqualTo("False");

        reportRolledOut(name);
        awaitCondition(name, WorkcellConditions.READY, "True", "AllReplicasReady");
        assertThat(condition(name, WorkcellConditions.PROGRESSING).getReason()).isEqualTo("RolledOut");
    }

    @Test
    void aRotatedSecretChangesThePodTemplateHash() {
        String name = "rotating";
        createWithSecrets(name, spec(name, postgresPort));
        awaitDeployment(name);
        String before = configHash(name);

        client.resource(databaseSecret(NS, name, "rotated-password")).update();
        await().atMost(WAIT).until(() -> !configHash(name).equals(before));
        String afterPassword = configHash(name);

        client.resource(secret(NS, name + "-tls", Map.of("tls.crt", "renewed", "tls.key", "renewed")))
                .update();
        await().atMost(WAIT).until(() -> !configHash(name).equals(afterPassword));
    }

    @Test
    void aMissingSecretIsDegradedNamingItAndNothingIsApplied() {
        String name = "no-credentials";
        client.resource(tlsSecret(NS, name)).create();
        client.resource(workcell(NS, name, spec(name, postgresPort))).create();
        Condition degraded = awaitCondition(name, WorkcellConditions.DEGRADED, "True", "SecretMissing");
        assertThat(degraded.getMessage())
                .contains("Secret no-credentials-db (env WORKCELL_DB_PASSWORD) does not exist");
        assertThat(condition(name, WorkcellConditions.DATABASE_READY).getReason())
                .isEqualTo("CredentialsMissing");
        assertThat(deployment(name)).isNull();

        client.resource(secret(NS, name + "-db", Map.of("username", "postgres")))
                .create();
        await().atMost(WAIT)
                .until(() -> condition(name, WorkcellConditions.DEGRADED)
                        .getMessage()
                        .contains("Secret no-credentials-db has no key password (env WORKCELL_DB_PASSWORD)"));
        assertThat(deployment(name)).isNull();

        client.resource(databaseSecret(NS, name, "postgres")).update();
        awaitDeployment(name);
        awaitCondition(name, WorkcellConditions.DEGRADED, "False", "AsExpected");
    }

    @Test
    void anUnsupportedVersionIsRefusedAndTheRunningDeploymentKept() {
        String name = "upgrading";
        createWithSecrets(name, spec(name, postgresPort));
        awaitDeployment(name);
        Deployment before = deployment(name);

        editSpec(name, spec -> with(spec, "version", "0.2.0"));
        Condition degraded = awaitCondition(name, WorkcellConditions.DEGRADED, "True", "UnsupportedVersion");
        assertThat(degraded.getMessage())
                .contains("version 0.2.0")
                .contains("(0.1.x)")
                .contains("nothing was changed");
        assertThat(degraded.getObservedGeneration()).isEqualTo(2L);
        assertThat(deployment(name).getSpec().getTemplate())
                .isEqualTo(before.getSpec().getTemplate());

        String fresh = "from-the-future";
        createWithSecrets(fresh, with(spec(fresh, postgresPort), "version", "9.0.0"));
        awaitCondition(fresh, WorkcellConditions.DEGRADED, "True", "UnsupportedVersion");
        assertThat(deployment(fresh)).isNull();
    }

    @Test
    void invalidSpecsAreDegradedNamingTheFieldAndNothingIsApplied() {
        Map<String, UnaryOperator<WorkcellSpec>> invalid = Map.of(
                "spec.replicas: must be 0 or more, not -1",
                spec -> with(spec, "replicas", -1),
                "spec.image: not an image reference: 'Not An Image'",
                spec -> with(spec, "image", "Not An Image"),
                "spec.database: required",
                spec -> with(spec, "database", null),
                "spec.tls: set either serverCertificateSecret, or plaintext: true",
                spec -> with(spec, "tls", Map.of("plaintext", true, "serverCertificateSecret", "both")));
        int i = 0;
        for (var entry : invalid.entrySet()) {
            String name = "invalid-" + i++;
            createWithSecrets(name, entry.getValue().apply(spec(name, postgresPort)));
            Condition degraded = awaitCondition(name, WorkcellConditions.DEGRADED, "True", "InvalidSpec");
            assertThat(degraded.getMessage()).as(name).contains(entry.getKey());
            assertThat(deployment(name)).as(name).isNull();
        }
    }

    @Test
    void aPausedWorkcellIsLeftAsItIsUntilResumed() {
        String name = "paused";
        createWithSecrets(name, spec(name, postgresPort));
        awaitDeployment(name);

        editSpec(name, spec -> with(with(spec, "paused", true), "replicas", 5));
        awaitCondition(name, WorkcellConditions.PROGRESSING, "False", "Paused");
        assertThat(deployment(name).getSpec().getReplicas()).isEqualTo(2);

        editSpec(name, spec -> with(spec, "paused", false));
        await().atMost(WAIT).until(() -> deployment(name).getSpec().getReplicas() == 5);
    }

    @Test
    void anUnreachableDatabaseIsNamedInDatabaseReady() throws IOException {
        String name = "no-database";
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        createWithSecrets(
                name,
                with(
                        spec(name, postgresPort),
                        "database",
                        TestWorkcells.database(name, "127.0.0.1", closedPort, "postgres")));
        Condition database = awaitCondition(name, WorkcellConditions.DATABASE_READY, "False", "DatabaseUnreachable");
        assertThat(database.getMessage()).contains("127.0.0.1:" + closedPort + "/postgres does not answer");
        assertThat(condition(name, WorkcellConditions.READY).getMessage()).contains("the database is not ready");
        assertThat(deployment(name))
                .as("the pods wait for the database themselves")
                .isNotNull();
    }

    @Test
    void aPodThatCannotPullItsImageMakesTheWorkcellDegraded() {
        String name = "bad-image";
        createSecrets(name);
        Workcell workcell = workcell(NS, name, spec(name, postgresPort));
        client.resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name + "-abc12")
                        .withNamespace(NS)
                        .withLabels(WorkcellLabels.selector(workcell))
                        .endMetadata()
                        .withNewStatus()
                        .addNewContainerStatus()
                        .withName("control-plane")
                        .withImage("workcell/control-plane:0.1.0")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"workcell/control-plane:0.1.0\"")
                        .endWaiting()
                        .endState()
                        .endContainerStatus()
                        .endStatus()
                        .build())
                .create();
        client.resource(workcell).create();
        Condition degraded = awaitCondition(name, WorkcellConditions.DEGRADED, "True", "ImagePullFailure");
        assertThat(degraded.getMessage())
                .contains("pod bad-image-abc12 cannot pull image workcell/control-plane:0.1.0");
    }

    @Test
    void aRolloutPastItsDeadlineIsReportedStuck() {
        String name = "stuck";
        createWithSecrets(name, spec(name, postgresPort));
        awaitDeployment(name);
        Deployment deployment = deployment(name);
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(2)
                .withUpdatedReplicas(1)
                .withReadyReplicas(1)
                .addToConditions(new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("False")
                        .withReason("ProgressDeadlineExceeded")
                        .withMessage("ReplicaSet \"stuck-5d4f\" has timed out progressing.")
                        .build())
                .build());
        client.resource(deployment).updateStatus();
        Condition degraded = awaitCondition(name, WorkcellConditions.DEGRADED, "True", "RolloutStuck");
        assertThat(degraded.getMessage())
                .contains("has timed out progressing")
                .contains("kubectl describe deployment stuck");
    }

    @Test
    void aServiceMonitorIsCreatedOnlyOnceItsApiIsServed() {
        String name = "monitored";
        createWithSecrets(name, with(spec(name, postgresPort), "metrics", Map.of("serviceMonitor", true)));
        awaitReconciled(name, 1);
        awaitDeployment(name);

        client.resource(new CustomResourceDefinitionBuilder()
                        .withNewMetadata()
                        .withName("servicemonitors.monitoring.coreos.com")
                        .endMetadata()
                        .withNewSpec()
                        .withGroup("monitoring.coreos.com")
                        .withScope("Namespaced")
                        .withNewNames()
                        .withKind("ServiceMonitor")
                        .withPlural("servicemonitors")
                        .withSingular("servicemonitor")
                        .endNames()
                        .addNewVersion()
                        .withName("v1")
                        .withServed(true)
                        .withStorage(true)
                        .endVersion()
                        .endSpec()
                        .build())
                .create();
        assertThat(client.resources(ServiceMonitor.class)
                        .inNamespace(NS)
                        .withName(name)
                        .get())
                .isNull();

        editSpec(name, spec -> with(spec, "metrics", Map.of("serviceMonitor", true, "interval", "15s")));
        await().atMost(WAIT)
                .until(() -> client.resources(ServiceMonitor.class)
                                .inNamespace(NS)
                                .withName(name)
                                .get()
                        != null);
        ServiceMonitor monitor = client.resources(ServiceMonitor.class)
                .inNamespace(NS)
                .withName(name)
                .get();
        assertThat(monitor.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(ref -> assertThat(ref.getName()).isEqualTo(name));
        assertThat(monitor.getAdditionalProperties().get("spec"))
                .isEqualTo(Map.of(
                        "selector",
                                Map.of(
                                        "matchLabels",
                                        Map.of(WorkcellLabels.INSTANCE, name, "workcell.dev/service", "management")),
                        "endpoints", List.of(Map.of("port", "management", "path", "/q/metrics", "interval", "15s"))));

        editSpec(name, spec -> with(spec, "metrics", Map.of("serviceMonitor", true, "interval", "1m")));
        await().atMost(WAIT)
                .until(() -> client.resources(ServiceMonitor.class)
                        .inNamespace(NS)
                        .withName(name)
                        .get()
                        .getAdditionalProperties()
                        .get("spec")
                        .toString()
                        .contains("interval=1m"));

        editSpec(name, spec -> with(spec, "metrics", Map.of("serviceMonitor", false)));
        await().atMost(WAIT)
                .until(() -> client.resources(ServiceMonitor.class)
                                .inNamespace(NS)
                                .withName(name)
                                .get()
                        == null);
    }

    @Test
    void changesToTheServicePdbAndNetworkPolicyAreApplied() {
        String name = "reshaped";
        createWithSecrets(name, spec(name, postgresPort));
        await().atMost(WAIT)
                .until(() -> client.network()
                                .networkPolicies()
                                .inNamespace(NS)
                                .withName(name)
                                .get()
                        != null);
        editSpec(
                name,
                spec -> with(
                        with(
                                with(spec, "service", Map.of("type", "LoadBalancer", "port", 443)),
                                "pdb",
                                Map.of("minAvailable", "50%")),
                        "networkPolicy",
                        Map.of("apiFrom", List.of(Map.of("ipBlock", Map.of("cidr", "10.20.0.0/16"))))));
        await().atMost(WAIT)
                .until(() -> "LoadBalancer"
                        .equals(client.services()
                                .inNamespace(NS)
                                .withName(name)
                                .get()
                                .getSpec()
                                .getType()));
        assertThat(client.services()
                        .inNamespace(NS)
                        .withName(name)
                        .get()
                        .getSpec()
                        .getPorts()
                        .get(0)
                        .getPort())
                .isEqualTo(443);
        assertThat(client.services()
                        .inNamespace(NS)
                        .withName(name + "-management")
                        .get()
                        .getSpec()
                        .getType())
                .as("the management port never on a load balancer")
                .isEqualTo("ClusterIP");
        await().atMost(WAIT)
                .until(() -> "50%"
                        .equals(client.policy()
                                .v1()
                                .podDisruptionBudget()
                                .inNamespace(NS)
                                .withName(name)
                                .get()
                                .getSpec()
                                .getMinAvailable()
                                .getStrVal()));
        await().atMost(WAIT)
                .until(() -> client
                        .network()
                        .networkPolicies()
                        .inNamespace(NS)
                        .withName(name)
                        .get()
                        .getSpec()
                        .getIngress()
                        .get(0)
                        .getFrom()
                        .stream()
                        .anyMatch(peer -> peer.getIpBlock() != null
                                && "10.20.0.0/16".equals(peer.getIpBlock().getCidr())));
        await().atMost(WAIT)
                .until(() -> statusOf(name) != null
                        && "reshaped.test.svc:443".equals(statusOf(name).getEndpoint()));
    }

    @Test
    void aDisabledNetworkPolicyIsDeleted() {
        String name = "open";
        createWithSecrets(name, spec(name, postgresPort));
        await().atMost(WAIT)
                .until(() -> client.network()
                                .networkPolicies()
                                .inNamespace(NS)
                                .withName(name)
                                .get()
                        != null);
        editSpec(name, spec -> with(spec, "networkPolicy", Map.of("enabled", false)));
        await().atMost(WAIT)
                .until(() -> client.network()
                                .networkPolicies()
                                .inNamespace(NS)
                                .withName(name)
                                .get()
                        == null);
    }

    /** What the Role grants for agent pools only: their reconciler's requests, not made in these tests. */
    private static final Set<String> AGENT_POOL_ONLY = Set.of(
            "workcell.dev/workcellagentpools/status patch",
            "workcell.dev/workcells get",
            "/pods get",
            "/pods create",
            "/pods delete",
            "/pods patch",
            "/secrets get",
            "/secrets update");

    /**
     * Runs last: every request the operator made during these tests is one its Role grants, and the
     * Role grants nothing else but the agent pools' own needs. The test-mode-only CRD installation is left out.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theOperatorsRoleGrantsWhatItUsedAndBesideOnlyWhatAgentPoolsNeed() throws Exception {
        Set<String> used = new TreeSet<>();
        for (RecordedRequest request = server.getKubernetesMockServer().takeRequest(0, TimeUnit.SECONDS);
                request != null;
                request = server.getKubernetesMockServer().takeRequest(0, TimeUnit.SECONDS)) {
            if (!TEST_AGENT.equals(request.getHeader("User-Agent"))) {
                ApiRequests.permission(request)
                        .filter(p -> !p.startsWith("apiextensions.k8s.io/"))
                        .ifPresent(used::add);
            }
        }
        Role role;
        try (var in = Files.newInputStream(Path.of("../install/base/role.yaml"))) {
            role = Serialization.unmarshal(in, Role.class);
        }
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    rule.getVerbs().forEach(verb -> granted.add(group + "/" + resource + " " + verb));
                }
            }
        }
        Set<String> expected = new TreeSet<>(used);
        expected.addAll(AGENT_POOL_ONLY);
        assertThat(granted).as("k8s/install/base/role.yaml").containsExactlyInAnyOrderElementsOf(expected);
    }

    private Workcell createWithSecrets(String name, WorkcellSpec spec) {
        createSecrets(name);
        return client.resource(workcell(NS, name, spec)).create();
    }

    private void awaitDeployment(String name) {
        await().atMost(WAIT).until(() -> deployment(name) != null);
    }

    private void createSecrets(String name) {
        client.resource(databaseSecret(NS, name, "postgres")).create();
        client.resource(tlsSecret(NS, name)).create();
    }

    /** Changes the spec as kubectl edit does: again on a conflict with the operator's status write. */
    private void editSpec(String name, UnaryOperator<WorkcellSpec> change) {
        await().atMost(WAIT)
                .ignoreExceptionsInstanceOf(KubernetesClientException.class)
                .until(() -> {
                    client.resources(Workcell.class)
                            .inNamespace(NS)
                            .withName(name)
                            .edit(workcell -> {
                                workcell.setSpec(change.apply(workcell.getSpec()));
                                return workcell;
                            });
                    return true;
                });
    }

    /** Plays the Deployment controller: every pod of the current template is running and ready. */
    private void reportRolledOut(String name) {
        Deployment deployment = deployment(name);
        int replicas = deployment.getSpec().getReplicas();
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(replicas)
                .withAvailableReplicas(replicas)
                .build());
        client.resource(deployment).updateStatus();
    }

    private void awaitReconciled(String name, long generation) {
        await().atMost(WAIT)
                .until(() -> statusOf(name) != null
                        && Long.valueOf(generation).equals(statusOf(name).getObservedGeneration()));
    }

    private Condition awaitCondition(String name, String type, String status, String reason) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(condition(name, type))
                        .as("%s of %s, whose status is %s", type, name, Serialization.asYaml(statusOf(name)))
                        .isNotNull()
                        .extracting(Condition::getStatus, Condition::getReason)
                        .containsExactly(status, reason));
        return condition(name, type);
    }

    private Condition condition(String name, String type) {
        WorkcellStatus status = statusOf(name);
        return status == null
                ? null
                : status.getConditions().stream()
                        .filter(c -> type.equals(c.getType()))
                        .findFirst()
                        .orElse(null);
    }

    private WorkcellStatus statusOf(String name) {
        Workcell workcell =
                client.resources(Workcell.class).inNamespace(NS).withName(name).get();
        return workcell == null ? null : workcell.getStatus();
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private String configHash(String name) {
        return deployment(name)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(ConfigHash.ANNOTATION);
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> name.equals(e.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static String secretRef(Container container, String name) {
        var ref = env(container, name).getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    private static void assertOwnedBy(HasMetadata owned, Workcell owner) {
        assertThat(owned).as("owned object").isNotNull();
        assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("Workcell");
            assertThat(ref.getApiVersion()).isEqualTo("workcell.dev/v1alpha1");
            assertThat(ref.getName()).isEqualTo(owner.getMetadata().getName());
            assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
        });
    }
}
