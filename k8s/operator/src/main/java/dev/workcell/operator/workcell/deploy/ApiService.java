package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.workcell.ControlPlanePorts;
import dev.workcell.operator.workcell.ServiceSpec;
import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.WorkcellLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The Service agents and clients use: REST and gRPC on one port, named after the Workcell. */
public class ApiService extends CRUDKubernetesDependentResource<Service, Workcell> {

    public ApiService() {
        super(Service.class);
    }

    /** host:port of the API inside the cluster. */
    public static String endpoint(Workcell workcell) {
        int port = workcell.getSpec()
                .serviceOrDefault()
                .portOr(ControlPlanePorts.api(workcell.getSpec().tls()));
        return workcell.getMetadata().getName() + "." + workcell.getMetadata().getNamespace() + ".svc:" + port;
    }

    @Override
    protected Service desired(Workcell workcell, Context<Workcell> context) {
        ServiceSpec service = workcell.getSpec().serviceOrDefault();
        int containerPort = ControlPlanePorts.api(workcell.getSpec().tls());
        return new ServiceBuilder()
                .withMetadata(
                        WorkcellLabels.metadata(workcell, workcell.getMetadata().getName()))
                .editMetadata()
                .withAnnotations(service.annotationsOrEmpty())
                .endMetadata()
                .withNewSpec()
                .withType(service.typeOrDefault().name())
                .withSelector(WorkcellLabels.selector(workcell))
                .addNewPort()
                .withName(ControlPlanePorts.API_NAME)
                .withPort(service.portOr(containerPort))
                .withNewTargetPort(ControlPlanePorts.API_NAME)
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }
}
