package dev.workcell.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the kubelet for the agent pods of one pool on the mock API server, which runs no pods: for
 * each new pod it starts a real edge agent with the pod's environment resolved as the kubelet does
 * (Secret key references read from the Secret, metadata.name from the pod), the control plane's
 * in-cluster host and port replaced by the local control plane (what cluster DNS would do), one
 * declared device {@code <pod>-dev}; it marks the pod Running once the agent registered. When a pod
 * is deleted it first records what the control plane says of the pod's agent at that moment, then
 * stops the agent.
 */
public final class AgentPodRunner implements AutoCloseable {

    /** What the control plane said of a pod's agent when the pod was deleted. */
    public record Deletion(String pod, Instant at, boolean draining, String drainingSince, int runningOnItsDevice) {}

    private final KubernetesClient client;
    private final Rest controlPlane;
    private final int controlPlanePort;
    private final ExecutorService starter = Executors.newSingleThreadExecutor();
    private final Map<String, Process> agents = new ConcurrentHashMap<>();
    private final List<Deletion> deletions = new CopyOnWriteArrayList<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final SharedIndexInformer<Pod> informer;

    public AgentPodRunner(
            KubernetesClient client,
            String namespace,
            Map<String, String> podLabels,
            Rest controlPlane,
            int controlPlanePort) {
        this.client = client;
        this.controlPlane = controlPlane;
        this.controlPlanePort = controlPlanePort;
        this.informer = client.pods()
                .inNamespace(namespace)
                .withLabels(podLabels)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        starter.submit(() -> recordingFailures(() -> run(pod)));
                    }

                    @Override
                    public void onUpdate(Pod before, Pod after) {}

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        recordingFailures(() -> deleted(pod));
                    }
                });
    }

    /** What went wrong playing the kubelet (the informer would only log it): a test fails on the first. */
    public void assertNoFailure() {
        if (!failures.isEmpty()) {
            throw new AssertionError("playing the kubelet failed", failures.get(0));
        }
    }

    private void recordingFailures(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | AssertionError e) {
            failures.add(e);
        }
    }

    public static String device(String pod) {
        return pod + "-dev";
    }

    /** Pods whose agent was started, in order. */
    public List<String> started() {
        return started;
    }

    public List<Deletion> deletions() {
        return deletions;
    }

    private void run(Pod pod) {
        String name = pod.getMetadata().getName();
        Container container = pod.getSpec().getContainers().get(0);
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), resolve(pod, var));
        }
        env.put("WORKCELL_CONTROL_PLANE_HOST", "127.0.0.1");
        env.put("WORKCELL_CONTROL_PLANE_PORT", Integer.toString(controlPlanePort));
        env.put("WORKCELL_AGENT_TARGETS", device(name));
        env.put("WORKCELL_AGENT_SERVE_HOST", "false");
        env.put("WORKCELL_AGENT_DISCOVERY_ADB_ENABLED", "false");
        try {
            Path workDir = Files.createTempDirectory("operator-test-" + name + "-");
            env.put("WORKCELL_AGENT_WORK_DIR", workDir.toString());
            Process agent = Processes.start(
                    Processes.EDGE_AGENT,
                    List.of("-Xmx96m", "-XX:+UseSerialGC"),
                    env,
                    workDir.resolve("agent.log"),
                    "registered with control plane");
            agents.put(name, agent);
            started.add(name);
            // A merge patch without resourceVersion, as the kubelet's own status updates do not fight the operator's
            // edits.
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(name)
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\": {\"phase\": \"Running\"}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String resolve(Pod pod, EnvVar var) {
        if (var.getValueFrom() == null) {
            return var.getValue();
        }
        if (var.getValueFrom().getFieldRef() != null) {
            if (!"metadata.name".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
                throw new IllegalStateException("this runner resolves only metadata.name: " + var);
            }
            return pod.getMetadata().getName();
        }
        var ref = var.getValueFrom().getSecretKeyRef();
        Secret secret = client.secrets()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(ref.getName())
                .get();
        return new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
    }

    private void deleted(Pod pod) {
        String name = pod.getMetadata().getName();
        Instant at = Instant.now();
        JsonNode agent = null;
        for (JsonNode candidate : controlPlane.get("/api/v1/agents")) {
            if (name.equals(candidate.path("hostName").asText())) {
                agent = candidate;
            }
        }
        int running = controlPlane
                .get("/api/v1/actions?target=" + device(name) + "&status=RUNNING,DISPATCHED")
                .path("actions")
                .size();
        deletions.add(new Deletion(
                name,
                at,
                agent != null && agent.path("draining").asBoolean(),
                agent == null ? null : agent.path("drainingSince").asText(null),
                running));
        Process process = agents.remove(name);
        if (process != null) {
            Processes.stop(process);
        }
    }

    @Override
    public void close() {
        informer.close();
        starter.shutdownNow();
        agents.values().forEach(Processes::stop);
    }
}
