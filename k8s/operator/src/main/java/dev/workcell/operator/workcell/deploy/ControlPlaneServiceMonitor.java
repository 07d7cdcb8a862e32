package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.workcell.ControlPlanePorts;
import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.WorkcellLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.List;
import java.util.Map;

/**
 * A ServiceMonitor scraping /q/metrics of the management Service. It exists only when the
 * ServiceMonitor API is served (ServiceMonitorApiAvailable) and spec.metrics.serviceMonitor is true.
 */
public class ControlPlaneServiceMonitor extends CRUDKubernetesDependentResource<ServiceMonitor, Workcell> {

    public ControlPlaneServiceMonitor() {
        super(ServiceMonitor.class);
    }

    @Override
    protected ServiceMonitor desired(Workcell workcell, Context<Workcell> context) {
        Map<String, Object> endpoint = Map.of(
                "port",
                ControlPlanePorts.MANAGEMENT_NAME,
                "path",
                "/q/metrics",
                "interval",
                workcell.getSpec().metricsOrDefault().intervalOrDefault());
        ServiceMonitor monitor = new ServiceMonitor();
        monitor.setApiVersion(HasMetadata.getApiVersion(ServiceMonitor.class));
        monitor.setKind(HasMetadata.getKind(ServiceMonitor.class));
        monitor.setMetadata(
                WorkcellLabels.metadata(workcell, workcell.getMetadata().getName()));
        monitor.setAdditionalProperty(
                "spec",
                Map.of(
                        "selector", Map.of("matchLabels", ManagementService.selectorLabels(workcell)),
                        "endpoints", List.of(endpoint)));
        return monitor;
    }
}
