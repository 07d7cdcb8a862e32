package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;

/**
 * Who may reach the control-plane pods besides those the operator always lets in (agents and
 * clients labelled for this Workcell, the operator itself; see ControlPlaneNetworkPolicy).
 */
public record NetworkPolicySpec(
        @JsonPropertyDescription("Create the NetworkPolicy (default true).")
        Boolean enabled,

        @JsonPropertyDescription(
                "More peers allowed to the API port, e.g. an ipBlock for clients behind a load balancer.")
        List<NetworkPolicyPeer> apiFrom,

        @JsonPropertyDescription("More peers allowed to the management port, e.g. the Prometheus namespace.")
        List<NetworkPolicyPeer> managementFrom) {

    public static final NetworkPolicySpec DEFAULT = new NetworkPolicySpec(null, null, null);

    public boolean enabledOrDefault() {
        return !Boolean.FALSE.equals(enabled);
    }

    public List<NetworkPolicyPeer> apiFromOrEmpty() {
        return apiFrom == null ? List.of() : apiFrom;
    }

    public List<NetworkPolicyPeer> managementFromOrEmpty() {
        return managementFrom == null ? List.of() : managementFrom;
    }
}
