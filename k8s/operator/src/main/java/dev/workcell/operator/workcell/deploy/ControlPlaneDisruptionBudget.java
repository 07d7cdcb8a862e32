package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.WorkcellLabels;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** Keeps spec.pdb.minAvailable control-plane pods (default 1) through node drains and upgrades. */
public class ControlPlaneDisruptionBudget extends CRUDKubernetesDependentResource<PodDisruptionBudget, Workcell> {

    public ControlPlaneDisruptionBudget() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(Workcell workcell, Context<Workcell> context) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(
                        WorkcellLabels.metadata(workcell, workcell.getMetadata().getName()))
                .withNewSpec()
                .withMinAvailable(workcell.getSpec().pdbOrDefault().minAvailableOrDefault())
                .withNewSelector()
                .withMatchLabels(WorkcellLabels.selector(workcell))
                .endSelector()
                .endSpec()
                .build();
    }
}
