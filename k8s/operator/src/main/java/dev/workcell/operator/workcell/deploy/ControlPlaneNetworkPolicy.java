package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.config.OperatorConfig;
import dev.workcell.operator.workcell.ControlPlanePorts;
import dev.workcell.operator.workcell.NetworkPolicySpec;
import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.WorkcellLabels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lets into the control-plane pods only: on the API port, pods of the Workcell's namespace labelled
 * {@code workcell.dev/agent: <workcell>} or {@code workcell.dev/client: <workcell>}, and the
 * operator (the agent pools' enrollment goes through the admin API); on the management port, the
 * operator. spec.networkPolicy.apiFrom and managementFrom add peers (a load balancer's clients,
 * Prometheus). Kubelet probes come from the node and are not subject to the policy.
 */
public class ControlPlaneNetworkPolicy extends CRUDKubernetesDependentResource<NetworkPolicy, Workcell> {

    private final OperatorConfig config;

    public ControlPlaneNetworkPolicy(OperatorConfig config) {
        super(NetworkPolicy.class);
        this.config = config;
    }

    @Override
    protected NetworkPolicy desired(Workcell workcell, Context<Workcell> context) {
        NetworkPolicySpec spec = workcell.getSpec().networkPolicyOrDefault();
        String name = workcell.getMetadata().getName();
        List<NetworkPolicyPeer> api = new ArrayList<>();
        api.add(podsLabelled(WorkcellLabels.AGENT_OF, name));
        api.add(podsLabelled(WorkcellLabels.CLIENT_OF, name));
        api.add(operator());
        api.addAll(spec.apiFromOrEmpty());
        List<NetworkPolicyPeer> management = new ArrayList<>();
        management.add(operator());
        management.addAll(spec.managementFromOrEmpty());
        return new NetworkPolicyBuilder()
                .withMetadata(WorkcellLabels.metadata(workcell, name))
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(WorkcellLabels.selector(workcell))
                .endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .withFrom(api)
                .withPorts(port(ControlPlanePorts.API_NAME))
                .endIngress()
                .addNewIngress()
                .withFrom(management)
                .withPorts(port(ControlPlanePorts.MANAGEMENT_NAME))
                .endIngress()
                .endSpec()
                .build();
    }

    private NetworkPolicyPeer operator() {
        LabelSelector namespaces = config.namespace()
                .map(namespace -> new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("kubernetes.io/metadata.name", namespace))
                        .build())
                .orElseGet(() -> new LabelSelectorBuilder().build());
        return new NetworkPolicyPeerBuilder()
                .withNewPodSelector()
                .withMatchLabels(Map.of(WorkcellLabels.NAME, WorkcellLabels.OPERATOR))
                .endPodSelector()
                .withNamespaceSelector(namespaces)
                .build();
    }

    private static NetworkPolicyPeer podsLabelled(String label, String value) {
        return new NetworkPolicyPeerBuilder()
                .withNewPodSelector()
                .withMatchLabels(Map.of(label, value))
                .endPodSelector()
                .build();
    }

    private static NetworkPolicyPort port(String name) {
        return new NetworkPolicyPortBuilder()
                .withPort(new IntOrString(name))
                .withProtocol("TCP")
                .build();
    }
}
