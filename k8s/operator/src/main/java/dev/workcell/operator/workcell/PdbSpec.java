package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.IntOrString;

/** The PodDisruptionBudget of the control-plane pods. */
public record PdbSpec(
        @JsonPropertyDescription(
                "Pods that must stay up during a voluntary disruption, a number or a percentage (default 1).")
        IntOrString minAvailable) {

    public static final PdbSpec DEFAULT = new PdbSpec(null);

    public IntOrString minAvailableOrDefault() {
        return minAvailable == null ? new IntOrString(1) : minAvailable;
    }
}
