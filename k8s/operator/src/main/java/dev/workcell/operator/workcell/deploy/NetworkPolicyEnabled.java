package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.workcell.Workcell;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The NetworkPolicy exists unless spec.networkPolicy.enabled is false (then it is deleted). */
public class NetworkPolicyEnabled implements Condition<NetworkPolicy, Workcell> {

    @Override
    public boolean isMet(
            DependentResource<NetworkPolicy, Workcell> dependent, Workcell workcell, Context<Workcell> context) {
        return workcell.getSpec().networkPolicyOrDefault().enabledOrDefault();
    }
}
