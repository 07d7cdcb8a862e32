package dev.workcell.operator.pool;

import dev.workcell.operator.common.Durations;
import dev.workcell.operator.pool.PoolSizing.DrainChange;
import dev.workcell.operator.pool.PoolSizing.Plan;
import dev.workcell.operator.pool.PoolSizing.Removal;
import dev.workcell.operator.pool.api.ControlPlaneApi;
import dev.workcell.operator.pool.api.ControlPlaneRefused;
import dev.workcell.operator.pool.api.ControlPlaneUnreachable;
import dev.workcell.operator.pool.api.EnrollmentToken;
import dev.workcell.operator.pool.api.PoolView;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.quarkus.logging.Log;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps an agent pool's pods at what its control plane's ledger asks for. Each reconcile (on a pod
 * or spec change, and every poll interval) resolves the Workcell's control plane, makes sure the
 * pool's enrollment Secret holds a token that is not about to expire, reads the pool's demand, and
 * carries out the {@link PoolSizing} plan: create pods, drain idle agents, delete drained pods. When
 * the control plane cannot be reached nothing is changed: the pool keeps its pods.
 */
public class WorkcellAgentPoolReconciler implements Reconciler<WorkcellAgentPool> {

    private final ControlPlaneEndpoints endpoints;
    private final AgentPod agentPod;
    private final PoolConfig config;

    public WorkcellAgentPoolReconciler(ControlPlaneEndpoints endpoints, AgentPod agentPod, PoolConfig config) {
        this.endpoints = endpoints;
        this.agentPod = agentPod;
        this.config = config;
    }

    @Override
    public List<EventSource<?, WorkcellAgentPool>> prepareEventSources(EventSourceContext<WorkcellAgentPool> context) {
        var pods = InformerEventSourceConfiguration.from(Pod.class, WorkcellAgentPool.class)
                .withLabelSelector(PoolLabels.POD_INFORMER_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(WorkcellAgentPool.class))
                .build();
        return List.of(new InformerEventSource<>(pods, context));
    }

    @Override
    public UpdateControl<WorkcellAgentPool> reconcile(WorkcellAgentPool pool, Context<WorkcellAgentPool> context) {
        long started = System.nanoTime();
        WorkcellAgentPoolStatus status = pool.getStatus() == null ? new WorkcellAgentPoolStatus() : pool.getStatus();
        pool.setStatus(status);
        status.setObservedGeneration(pool.getMetadata().getGeneration());
        status.setSelector(PoolLabels.selectorText(pool));
        PoolConditions conditions =
                new PoolConditions(status, pool.getMetadata().getGeneration());
        List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
        status.setReplicas(pods.size());
        KubernetesClient client = context.getClient();
        try {
            ControlPlane controlPlane = endpoints.resolve(pool, client);
            ensureEnrollmentToken(pool, controlPlane.api(), client);
            PoolView view = controlPlane
                    .api()
                    .pool(pool.getMetadata().getName())
                    .orElseGet(() -> PoolView.empty(pool.getMetadata().getName()));
            Plan plan = PoolSizing.plan(
                    pool.getSpec(), view, pods.stream().map(PoolPod::of).toList(), Instant.now());
            carryOut(pool, controlPlane, plan, pods, client);
            report(pool, view, plan, pods, conditions);
        } catch (PoolProblem e) {
            conditions.degraded(e.reason(), e.getMessage());
        } catch (ControlPlaneUnreachable e) {
            conditions.degraded(
                    "ControlPlaneUnreachable",
                    e.getMessage() + ": nothing was changed: the pool keeps its pods (" + pods.size()
                            + ") until the control plane answers again");
        } catch (ControlPlaneRefused e) {
            conditions.degraded(
                    "ControlPlaneRefused",
                    e.getMessage()
                            + ": check the Workcell's bootstrap admin token Secret (the operator calls as that admin)");
        }
        Log.debugf(
                "pool %s/%s reconciled in %d ms",
                pool.getMetadata().getNamespace(),
                pool.getMetadata().getName(),
                (System.nanoTime() - started) / 1_000_000);
        return UpdateControl.patchStatus(pool).rescheduleAfter(config.pollInterval());
    }

    /** A reusable token for the pool in its Secret, replaced when it expires within tokenRenewBefore. */
    private void ensureEnrollmentToken(WorkcellAgentPool pool, ControlPlaneApi api, KubernetesClient client)
            throws PoolProblem, ControlPlaneUnreachable {
        String namespace = pool.getMetadata().getNamespace();
        Secret current = client.secrets()
                .inNamespace(namespace)
                .withName(EnrollmentSecret.name(pool))
                .get();
        if (!EnrollmentSecret.needsNewToken(current, Instant.now(), config.tokenRenewBefore())) {
            return;
        }
        EnrollmentToken token;
        try {
            token = api.createEnrollmentToken(
                    pool.getMetadata().getName(), pool.getSpec().labelsOrEmpty(), config.tokenLifetime());
        } catch (ControlPlaneRefused e) {
            throw new PoolProblem(
                    "EnrollmentTokenRefused",
                    "the control plane refused to create the pool's enrollment token: " + e.getMessage()
                            + (e.status() == 400 ? " (see spec.labels and the pool's name)" : ""));
        }
        Secret secret = EnrollmentSecret.of(pool, token);
        if (current == null) {
            client.resource(secret).create();
        } else {
            client.resource(secret).update();
        }
        Log.infof(
                "pool %s/%s: enrollment token %s stored in Secret %s, expires %s",
                namespace, pool.getMetadata().getName(), token.id(), EnrollmentSecret.name(pool), token.expiresAt());
    }

    private void carryOut(
            WorkcellAgentPool pool, ControlPlane controlPlane, Plan plan, List<Pod> pods, KubernetesClient client)
            throws ControlPlaneUnreachable, ControlPlaneRefused {
        String namespace = pool.getMetadata().getNamespace();
        String name = namespace + "/" + pool.getMetadata().getName();
        ControlPlaneApi api = controlPlane.api();
        for (String agent : plan.revokeOrphans()) {
            revoke(api, agent, name);
        }
        for (Removal removal : plan.delete()) {
            client.pods().inNamespace(namespace).withName(removal.pod()).delete();
            Log.infof("pool %s: deleted pod %s (agent %s)", name, removal.pod(), removal.agentId());
            if (removal.agentId() != null) {
                revoke(api, removal.agentId(), name);
            }
        }
        for (DrainChange drain : plan.drain()) {
            api.drain(drain.agentId());
            annotate(
                    client,
                    namespace,
                    drain.pod(),
                    PoolLabels.DRAIN_STARTED,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            Log.infof(
                    "pool %s: drained agent %s of idle pod %s (desired %d)",
                    name, drain.agentId(), drain.pod(), plan.desired());
        }
        for (DrainChange undrain : plan.undrain()) {
            api.undrain(undrain.agentId());
            annotate(client, namespace, undrain.pod(), PoolLabels.DRAIN_STARTED, null);
            Log.infof(
                    "pool %s: undrained agent %s of pod %s: it is needed again (desired %d)",
                    name, undrain.agentId(), undrain.pod(), plan.desired());
        }
        Set<String> deleted = plan.delete().stream().map(Removal::pod).collect(Collectors.toSet());
        for (Pod pod : pods) {
            String podName = pod.getMetadata().getName();
            if (!deleted.contains(podName) && plan.idleSince().containsKey(podName)) {
                Instant mark = plan.idleSince().get(podName);
                if (!Objects.equals(mark, PoolPod.of(pod).idleSince())) {
                    annotate(client, namespace, podName, PoolLabels.IDLE_SINCE, mark == null ? null : mark.toString());
                }
            }
        }
        for (int i = 0; i < plan.create(); i++) {
            client.resource(agentPod.build(pool, controlPlane, AgentPod.newName(pool)))
                    .create();
        }
        if (plan.create() > 0) {
            Log.infof(
                    "pool %s: created %d agent pods (demand %d, desired %d)",
                    name, plan.create(), plan.demand(), plan.desired());
        }
    }

    private static void revoke(ControlPlaneApi api, String agentId, String pool) throws ControlPlaneUnreachable {
        try {
            api.revoke(agentId);
        } catch (ControlPlaneRefused e) {
            // Already revoked (409) or gone (404): it has left the pool either way.
            Log.debugf("pool %s: agent %s not revoked: %s", pool, agentId, e.getMessage());
        }
    }

    /** Sets (or with null removes) one annotation of a pod with a JSON merge patch. */
    private static void annotate(KubernetesClient client, String namespace, String pod, String key, String value) {
        Map<String, Object> annotations = new HashMap<>();
        annotations.put(key, value);
        client.pods()
                .inNamespace(namespace)
                .withName(pod)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations))));
    }

    private static void report(
            WorkcellAgentPool pool, PoolView view, Plan plan, List<Pod> pods, PoolConditions conditions) {
        WorkcellAgentPoolStatus status = pool.getStatus();
        Set<String> podNames = pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        int ready = (int) view.agents().stream()
                .filter(a -> a.live() && podNames.contains(a.hostName()))
                .count();
        status.setReplicas(pods.size() - plan.delete().size() + plan.create());
        status.setDesired(plan.desired());
        status.setReady(ready);
        status.setBusy(view.busy());
        status.setIdle(view.idle());
        status.setDraining(view.draining());
        status.setQueued(view.queued());
        status.setOldestQueuedAge(Durations.seconds(view.oldestQueuedSeconds()));
        conditions.served(
                ready,
                plan.desired(),
                plan.demand(),
                pool.getSpec().maxAgents(),
                pool.getSpec().replicas() != null);
    }
}
