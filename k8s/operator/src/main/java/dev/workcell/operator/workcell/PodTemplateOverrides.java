package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * Additions to the control-plane pods. Labels, annotations and env are added to the operator's;
 * affinity, when given, replaces the default anti-affinity. Secrets and ConfigMaps referenced by
 * env and envFrom count for the pod template's hash: rotating them rolls the pods.
 */
public record PodTemplateOverrides(
        @JsonPropertyDescription("Extra pod labels.") Map<String, String> labels,
        @JsonPropertyDescription("Extra pod annotations.") Map<String, String> annotations,

        @JsonPropertyDescription("Node selector of the pods.")
        Map<String, String> nodeSelector,

        @JsonPropertyDescription("Tolerations of the pods.") List<Toleration> tolerations,

        @JsonPropertyDescription("Affinity; replaces the default (spread replicas over nodes).")
        Affinity affinity,

        @JsonPropertyDescription("Topology spread constraints of the pods.")
        List<TopologySpreadConstraint> topologySpreadConstraints,

        @JsonPropertyDescription("Priority class of the pods.")
        String priorityClassName,

        @JsonPropertyDescription("Service account of the pods (default: the namespace's default).")
        String serviceAccountName,

        @JsonPropertyDescription("Secrets to pull the image with.")
        List<LocalObjectReference> imagePullSecrets,

        @Min(0) @JsonPropertyDescription("Seconds a stopping replica has to hand over its agents (default 30).")
        Long terminationGracePeriodSeconds,

        @JsonPropertyDescription("Extra environment of the control-plane container (README, Running it).")
        List<EnvVar> env,

        @JsonPropertyDescription("Extra environment from Secrets or ConfigMaps.")
        List<EnvFromSource> envFrom) {

    public static final PodTemplateOverrides NONE =
            new PodTemplateOverrides(null, null, null, null, null, null, null, null, null, null, null, null);
}
