package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.workcell.ControlPlanePorts;
import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.WorkcellLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.Map;

/**
 * The management port (health, metrics, info: plaintext, no token) behind a ClusterIP Service of
 * its own, {@code <workcell>-management}, so that it stays inside the cluster whatever type the
 * API Service has. Prometheus scrapes it (see ControlPlaneServiceMonitor).
 */
public class ManagementService extends CRUDKubernetesDependentResource<Service, Workcell> {

    /** Marks the management Service, for the ServiceMonitor's selector. */
    public static final String ROLE_LABEL = "workcell.dev/service";

    public static final String ROLE = "management";

    public ManagementService() {
        super(Service.class);
    }

    public static String name(Workcell workcell) {
        return workcell.getMetadata().getName() + "-management";
    }

    public static Map<String, String> selectorLabels(Workcell workcell) {
        return Map.of(WorkcellLabels.INSTANCE, workcell.getMetadata().getName(), ROLE_LABEL, ROLE);
    }

    @Override
    protected Service desired(Workcell workcell, Context<Workcell> context) {
        return new ServiceBuilder()
                .withMetadata(WorkcellLabels.metadata(workcell, name(workcell)))
                .editMetadata()
                .addToLabels(ROLE_LABEL, ROLE)
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(WorkcellLabels.selector(workcell))
                .addNewPort()
                .withName(ControlPlanePorts.MANAGEMENT_NAME)
                .withPort(workcell.getSpec().serviceOrDefault().managementPortOrDefault())
                .withNewTargetPort(ControlPlanePorts.MANAGEMENT_NAME)
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }
}
