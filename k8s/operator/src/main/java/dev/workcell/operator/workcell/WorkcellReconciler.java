package dev.workcell.operator.workcell;

import dev.workcell.operator.common.ConfigSource;
import dev.workcell.operator.common.PodReferences;
import dev.workcell.operator.common.PodReferences.Kind;
import dev.workcell.operator.common.StatusWriter;
import dev.workcell.operator.config.OperatorConfig;
import dev.workcell.operator.workcell.deploy.ApiService;
import dev.workcell.operator.workcell.deploy.BootstrapAdminToken;
import dev.workcell.operator.workcell.deploy.ConfigCaches;
import dev.workcell.operator.workcell.deploy.ControlPlaneDeployment;
import dev.workcell.operator.workcell.deploy.ControlPlaneDisruptionBudget;
import dev.workcell.operator.workcell.deploy.ControlPlaneNetworkPolicy;
import dev.workcell.operator.workcell.deploy.ControlPlanePod;
import dev.workcell.operator.workcell.deploy.ControlPlaneServiceMonitor;
import dev.workcell.operator.workcell.deploy.ManagementService;
import dev.workcell.operator.workcell.deploy.NetworkPolicyEnabled;
import dev.workcell.operator.workcell.deploy.ServiceMonitorApiAvailable;
import dev.workcell.operator.workcell.deploy.ServiceMonitorRequested;
import dev.workcell.operator.workcell.status.DatabaseProbe;
import dev.workcell.operator.workcell.status.DatabaseState;
import dev.workcell.operator.workcell.status.Rollout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes a Workcell's control plane what its spec says. A spec the operator cannot run (invalid, a
 * version it does not know, a Secret the pods would wait for) is refused with a Degraded condition
 * before anything is applied; otherwise the owned objects are applied (the dependents of the
 * workflow below) and the status says how the rollout and the database stand. A paused Workcell is
 * left as it is.
 */
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(name = WorkcellReconciler.DEPLOYMENT, type = ControlPlaneDeployment.class),
            @Dependent(name = WorkcellReconciler.API_SERVICE, type = ApiService.class),
            @Dependent(
                    name = "management-service",
                    type = ManagementService.class,
                    useEventSourceWithName = WorkcellReconciler.API_SERVICE),
            @Dependent(name = "disruption-budget", type = ControlPlaneDisruptionBudget.class),
            @Dependent(
                    name = "network-policy",
                    type = ControlPlaneNetworkPolicy.class,
                    reconcilePrecondition = NetworkPolicyEnabled.class),
            @Dependent(
                    name = "service-monitor",
                    type = ControlPlaneServiceMonitor.class,
                    activationCondition = ServiceMonitorApiAvailable.class,
                    reconcilePrecondition = ServiceMonitorRequested.class),
        })
public class WorkcellReconciler implements Reconciler<Workcell> {

    static final String DEPLOYMENT = "deployment";
    static final String API_SERVICE = "api-service";

    private final ControlPlanePod pod;
    private final ControlPlaneVersions versions;
    private final DatabaseProbe database;
    private final OperatorConfig config;

    public WorkcellReconciler(
            ControlPlanePod pod, ControlPlaneVersions versions, DatabaseProbe database, OperatorConfig config) {
        this.pod = pod;
        this.versions = versions;
        this.database = database;
        this.config = config;
    }

    @Override
    public List<EventSource<?, Workcell>> prepareEventSources(EventSourceContext<Workcell> context) {
        var secrets = InformerEventSourceConfiguration.from(Secret.class, Workcell.class)
                .withName(ConfigCaches.SECRETS)
                .withSecondaryToPrimaryMapper(secret -> readers(Kind.Secret, secret, context))
                .build();
        var configMaps = InformerEventSourceConfiguration.from(ConfigMap.class, Workcell.class)
                .withName(ConfigCaches.CONFIG_MAPS)
                .withSecondaryToPrimaryMapper(configMap -> readers(Kind.ConfigMap, configMap, context))
                .build();
        return List.of(new InformerEventSource<>(secrets, context), new InformerEventSource<>(configMaps, context));
    }

    @Override
    public UpdateControl<Workcell> reconcile(Workcell workcell, Context<Workcell> context) {
        WorkcellStatus status = workcell.getStatus() == null ? new WorkcellStatus() : workcell.getStatus();
        workcell.setStatus(status);
        WorkcellConditions conditions =
                new WorkcellConditions(status, workcell.getMetadata().getGeneration());
        status.setObservedGeneration(workcell.getMetadata().getGeneration());
        if (workcell.getSpec() != null && workcell.getSpec().pauseRequested()) {
            conditions.paused();
            return writeStatus(workcell, context);
        }
        List<String> problems = SpecCheck.problems(workcell.getSpec());
        if (!problems.isEmpty()) {
            conditions.refused("InvalidSpec", String.join("; ", problems));
            return writeStatus(workcell, context);
        }
        if (!versions.supports(workcell.getSpec().version())) {
            conditions.refused(
                    "UnsupportedVersion",
                    "version " + workcell.getSpec().version() + " is not one operator "
                            + versions.operatorVersion() + " runs (" + versions.supportedRange()
                            + "): nothing was changed;"
                            + " use a supported version, or an operator of that version");
            return writeStatus(workcell, context);
        }
        ConfigSource referenced = ConfigCaches.of(context);
        createBootstrapAdminTokenIfAbsent(workcell, referenced, context);
        List<String> missing =
                PodReferences.of(pod.template(workcell).getSpec()).missing(referenced);
        if (!missing.isEmpty()) {
            String reason = missing.get(0).startsWith(Kind.Secret.name()) ? "SecretMissing" : "ConfigMapMissing";
            conditions.refused(
                    reason, String.join("; ", missing) + ": the pods would wait for it; nothing was changed");
            conditions.database(database.check(workcell.getSpec().database(), referenced));
            return writeStatus(workcell, context);
        }
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        report(workcell, context, referenced, conditions);
        return writeStatus(workcell, context).rescheduleAfter(config.resyncInterval());
    }

    private static UpdateControl<Workcell> writeStatus(Workcell workcell, Context<Workcell> context) {
        return StatusWriter.replaceStatus(workcell, workcell.getStatus(), context);
    }

    private void report(
            Workcell workcell, Context<Workcell> context, ConfigSource referenced, WorkcellConditions conditions) {
        WorkcellStatus status = workcell.getStatus();
        int replicas = workcell.getSpec().replicasOrDefault();
        Deployment deployment =
                context.getSecondaryResource(Deployment.class, DEPLOYMENT).orElse(null);
        Rollout rollout = Rollout.of(
                deployment,
                replicas,
                () -> context.getClient()
                        .pods()
                        .inNamespace(workcell.getMetadata().getNamespace())
                        .withLabels(WorkcellLabels.selector(workcell))
                        .list()
                        .getItems());
        DatabaseState db = database.check(workcell.getSpec().database(), referenced);
        status.setReadyReplicas(rollout.readyReplicas());
        status.setEndpoint(ApiService.endpoint(workcell));
        status.setBootstrapAdminTokenSecret(
                BootstrapAdminToken.reference(workcell).name());
        if (db.schemaVersion() != null) {
            status.setSchemaVersion(db.schemaVersion());
        }
        if (rollout.done()) {
            status.setVersion(workcell.getSpec().version());
        }
        conditions.database(db);
        conditions.rollout(rollout, replicas, db);
    }

    private void createBootstrapAdminTokenIfAbsent(
            Workcell workcell, ConfigSource referenced, Context<Workcell> context) {
        String name = BootstrapAdminToken.reference(workcell).name();
        if (referenced.data(Kind.Secret, name).isEmpty()) {
            context.resourceOperations().create(BootstrapAdminToken.generate(workcell));
        }
    }

    /** The Workcells of the object's namespace whose pods read it. */
    private Set<ResourceID> readers(Kind kind, HasMetadata object, EventSourceContext<Workcell> context) {
        String name = object.getMetadata().getName();
        return context.getPrimaryCache()
                .list(object.getMetadata().getNamespace())
                .filter(workcell -> SpecCheck.problems(workcell.getSpec()).isEmpty())
                .filter(workcell -> PodReferences.of(pod.template(workcell).getSpec())
                        .names(kind)
                        .contains(name))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }
}
