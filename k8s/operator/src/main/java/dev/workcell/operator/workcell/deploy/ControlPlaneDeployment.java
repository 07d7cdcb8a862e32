package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.common.ConfigHash;
import dev.workcell.operator.common.PodReferences;
import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.WorkcellLabels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * The control-plane Deployment: the pod of {@link ControlPlanePod} with the hash of the Secrets and
 * ConfigMaps it reads, rolled one new pod at a time (a new replica must be ready before an old one
 * stops). A rollout that makes no progress for ten minutes is reported as stuck.
 */
public class ControlPlaneDeployment extends CRUDKubernetesDependentResource<Deployment, Workcell> {

    static final int PROGRESS_DEADLINE_SECONDS = 600;

    private final ControlPlanePod pod;

    public ControlPlaneDeployment(ControlPlanePod pod) {
        super(Deployment.class);
        this.pod = pod;
    }

    @Override
    protected Deployment desired(Workcell workcell, Context<Workcell> context) {
        PodTemplateSpec template = pod.template(workcell);
        String hash = ConfigHash.of(PodReferences.of(template.getSpec()), ConfigCaches.of(context));
        template.getMetadata().getAnnotations().put(ConfigHash.ANNOTATION, hash);
        return new DeploymentBuilder()
                .withMetadata(
                        WorkcellLabels.metadata(workcell, workcell.getMetadata().getName()))
                .withNewSpec()
                .withReplicas(workcell.getSpec().replicasOrDefault())
                .withNewSelector()
                .withMatchLabels(WorkcellLabels.selector(workcell))
                .endSelector()
                .withTemplate(template)
                .withProgressDeadlineSeconds(PROGRESS_DEADLINE_SECONDS)
                .withRevisionHistoryLimit(5)
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .endSpec()
                .build();
    }
}
