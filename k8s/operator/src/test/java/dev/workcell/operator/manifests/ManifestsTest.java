package dev.workcell.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.operator.common.Durations;
import dev.workcell.operator.pool.WorkcellAgentPool;
import dev.workcell.operator.workcell.SpecCheck;
import dev.workcell.operator.workcell.Workcell;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl kustomize} renders from k8s/install and k8s/examples, read back with fabric8:
 * every overlay renders, and the objects carry the probes, resources, security context and labels
 * that the README promises.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theBaseInstallsTheCrdsAndANonRootProbedOperatorWithANamespacedRole() throws Exception {
        List<HasMetadata> objects = render("install/base");

        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder(
                        "CustomResourceDefinition",
                        "CustomResourceDefinition",
                        "ServiceAccount",
                        "Role",
                        "RoleBinding",
                        "Deployment");
        Deployment operator = only(objects, Deployment.class);
        PodSpec pod = operator.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("workcell-operator");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(operator.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "workcell-operator");
        Container container = pod.getContainers().get(0);
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("QUARKUS_OPERATOR_SDK_NAMESPACES");
            assertThat(env.getValue()).isEqualTo("JOSDK_WATCH_CURRENT");
        });
    }

    @Test
    void theClusterWideOverlayGrantsTheSameRulesClusterWideToTheOperatorOfItsNamespace() throws Exception {
        Role namespaced = only(render("install/base"), Role.class);
        List<HasMetadata> objects = render("install/cluster-wide");

        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .doesNotContain("Role", "RoleBinding")
                .contains("Namespace");
        assertThat(only(objects, ClusterRole.class).getRules()).isEqualTo(namespaced.getRules());
        ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getName()).isEqualTo("workcell-operator");
            assertThat(subject.getNamespace()).isEqualTo("workcell-system");
        });
        Container container = only(objects, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(container.getEnv())
                .anySatisfy(env -> assertThat(env.getValue()).isEqualTo("JOSDK_ALL_NAMESPACES"));
        assertThat(only(objects, Deployment.class).getMetadata().getNamespace()).isEqualTo("workcell-system");
    }

    @Test
    void theExampleWorkcellsAreValidSpecs() throws Exception {
        for (String example : List.of("examples/cnpg", "examples/external-postgres")) {
            List<HasMetadata> objects = render(example);
            Workcell workcell = Serialization.unmarshal(
                    Serialization.asYaml(objects.stream()
                            .filter(o -> o.getKind().equals("Workcell"))
                            .findFirst()
                            .orElseThrow()),
                    Workcell.class);
            assertThat(SpecCheck.problems(workcell.getSpec())).as(example).isEmpty();
        }
        GenericKubernetesResource database = (GenericKubernetesResource) render("examples/cnpg").stream()
                .filter(o -> o.getKind().equals("Cluster"))
                .findFirst()
                .orElseThrow();
        assertThat(database.getApiVersion()).isEqualTo("postgresql.cnpg.io/v1");
        assertThat(database.<Integer>get("spec", "instances")).isEqualTo(3);
    }

    @Test
    void theExamplePoolBelongsToTheExampleWorkcellWithinItsBounds() throws Exception {
        WorkcellAgentPool pool = Serialization.unmarshal(
                Serialization.asYaml(render("examples/agent-pool").get(0)), WorkcellAgentPool.class);
        Workcell workcell = Serialization.unmarshal(
                Serialization.asYaml(render("examples/cnpg").stream()
                        .filter(o -> o.getKind().equals("Workcell"))
                        .findFirst()
                        .orElseThrow()),
                Workcell.class);

        assertThat(pool.getSpec().workcellRef().name())
                .isEqualTo(workcell.getMetadata().getName());
        assertThat(pool.getSpec().minAgents())
                .isLessThanOrEqualTo(pool.getSpec().maxAgents());
        assertThat(Durations.parse(pool.getSpec().scaleDownDelay(), Duration.ZERO))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theAgentDaemonSetRunsOnDeviceNodesWithItsStateOnTheNodeAndTheAgentLabel() throws Exception {
        DaemonSet agents = only(render("examples/agent-daemonset"), DaemonSet.class);
        PodSpec pod = agents.getSpec().getTemplate().getSpec();

        assertThat(pod.getNodeSelector()).containsEntry("workcell.dev/device-host", "true");
        assertThat(agents.getSpec().getTemplate().getMetadata().getLabels()).containsKey("workcell.dev/agent");
        Container agent = pod.getContainers().get(0);
        assertThat(agent.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("WORKCELL_AGENT_ENROLLMENT_TOKEN");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        });
        assertThat(agent.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getVolumes())
                .anySatisfy(volume -> assertThat(volume.getHostPath().getPath()).isEqualTo("/var/lib/workcell-agent"));
    }

    private static List<HasMetadata> render(String directory) throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder(
                        "kubectl", "kustomize", K8S.resolve(directory).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String yaml = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS))
                .as("kubectl kustomize " + directory + " ends")
                .isTrue();
        assertThat(kubectl.exitValue()).as("kubectl kustomize " + directory).isZero();
        Object parsed = Serialization.unmarshal(yaml);
        if (parsed instanceof List<?> documents) {
            return documents.stream().map(HasMetadata.class::cast).toList();
        }
        return parsed instanceof KubernetesList list ? list.getItems() : List.of((HasMetadata) parsed);
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .reduce((a, b) -> {
                    throw new AssertionError("more than one " + type.getSimpleName());
                })
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName()));
    }
}
