package dev.workcell.operator.pool;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.workcell.operator.common.Names;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/** What an agent pool should be: whose agents, what they run on, and how far it may scale. */
@ValidationRule(value = WorkcellAgentPoolSpec.MIN_MAX_RULE, message = WorkcellAgentPoolSpec.MIN_MAX_MESSAGE)
public record WorkcellAgentPoolSpec(
        @Required @JsonPropertyDescription("The Workcell, in the same namespace, whose control plane the agents join.")
        WorkcellRef workcellRef,
        @Pattern(Names.IMAGE) @JsonPropertyDescription("Edge-agent image; default: the operator's agent image tagged with the Workcell's version.")
        String image,
        @Size(max = 64) @JsonPropertyDescription("The pool's capabilities, given to its enrollment token (each at most 256 characters).")
        List<String> labels,
        @JsonPropertyDescription("Nodes the agent pods may run on.")
        Map<String, String> nodeSelector,
        @JsonPropertyDescription("Tolerations of the agent pods.")
        List<Toleration> tolerations,
        @JsonPropertyDescription("Resources of the agent container, device plugin resources included (e.g. nvidia.com/gpu).")
        ResourceRequirements resources,
        @Min(0) @JsonPropertyDescription("Agents kept even when nothing is queued (default 0).")
        Integer minAgents,
        @Required @Min(0) @JsonPropertyDescription("Most agents the pool runs.")
        Integer maxAgents,
        @SpecReplicas @Min(0)
        @JsonPropertyDescription("Set through /scale by an HPA or KEDA: then it replaces the size read from the ledger (still within minAgents..maxAgents).")
        Integer replicas,
        @Pattern(Names.DURATION) @JsonPropertyDescription("How long an agent stays idle before it is removed (default 5m).")
        String scaleDownDelay,
        @JsonPropertyDescription("How an agent leaves the pool.")
        DrainSpec drain) {

    static final String MIN_MAX_RULE = "!has(self.minAgents) || self.minAgents <= self.maxAgents";
    static final String MIN_MAX_MESSAGE = "minAgents must not exceed maxAgents";

    /** The Workcell a pool belongs to. */
    public record WorkcellRef(
            @Required @Pattern(Names.DNS_SUBDOMAIN) @JsonPropertyDescription("Name of the Workcell.") String name) {
    }

    /** How an agent is taken out: drained first, so that its running actions finish. */
    public record DrainSpec(
            @Pattern(Names.DURATION) @JsonPropertyDescription("Longest wait for a draining agent (default 10m).")
            String gracePeriod,
            @JsonPropertyDescription("Wait for the agent's running actions to end before removing it (default true).")
            Boolean waitForRunningActions) {
    }
}
