package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.workcell.Workcell;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Whether the cluster serves monitoring.coreos.com/v1 ServiceMonitors, asked through API discovery
 * (which any authenticated client may read) at each reconcile, not by reading the CRD, which a
 * namespaced Role cannot. Until it is served, the ServiceMonitor dependent has no informer.
 */
public class ServiceMonitorApiAvailable implements Condition<ServiceMonitor, Workcell> {

    @Override
    public boolean isMet(
            DependentResource<ServiceMonitor, Workcell> dependent, Workcell workcell, Context<Workcell> context) {
        APIResourceList served = context.getClient().getApiResources(HasMetadata.getApiVersion(ServiceMonitor.class));
        return served != null
                && served.getResources().stream()
                        .anyMatch(resource ->
                                HasMetadata.getKind(ServiceMonitor.class).equals(resource.getKind()));
    }
}
