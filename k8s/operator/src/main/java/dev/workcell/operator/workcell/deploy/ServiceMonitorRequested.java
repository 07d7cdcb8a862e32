package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.workcell.Workcell;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The ServiceMonitor exists while spec.metrics.serviceMonitor is true (it is deleted when that turns false). */
public class ServiceMonitorRequested implements Condition<ServiceMonitor, Workcell> {

    @Override
    public boolean isMet(
            DependentResource<ServiceMonitor, Workcell> dependent, Workcell workcell, Context<Workcell> context) {
        return workcell.getSpec().metricsOrDefault().serviceMonitorRequested();
    }
}
