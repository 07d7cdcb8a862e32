package dev.workcell.operator.pool;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.workcell.operator.common.Durations;
import dev.workcell.operator.common.Names;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What an agent pool should be: whose agents, what they run on, and how far it may scale. */
@ValidationRule(value = WorkcellAgentPoolSpec.MIN_MAX_RULE, message = WorkcellAgentPoolSpec.MIN_MAX_MESSAGE)
public record WorkcellAgentPoolSpec(
        @Required @JsonPropertyDescription("The Workcell, in the same namespace, whose control plane the agents join.")
        WorkcellRef workcellRef,

        @Pattern(Names.IMAGE)
        @JsonPropertyDescription(
                "Edge-agent image; default: the operator's agent image tagged with the Workcell's version.")
        String image,

        @Size(max = 32)
        @JsonPropertyDescription(
                "The pool's capabilities, given to its enrollment token: at most 32, each 1 to 100 letters, digits or ' ._@:/-'.")
        List<String> labels,

        @JsonPropertyDescription("Nodes the agent pods may run on.")
        Map<String, String> nodeSelector,

        @JsonPropertyDescription("Tolerations of the agent pods.")
        List<Toleration> tolerations,

        @JsonPropertyDescription(
                "Resources of the agent container, device plugin resources included (e.g. nvidia.com/gpu).")
        ResourceRequirements resources,

        @Min(0) @JsonPropertyDescription("Agents kept even when nothing is queued (default 0).")
        Integer minAgents,

        @Required @Min(0) @JsonPropertyDescription("Most agents the pool runs.")
        Integer maxAgents,

        @SpecReplicas
        @Min(0)
        @JsonPropertyDescription(
                "Set through /scale by an HPA or KEDA: then it replaces the size read from the ledger (still within minAgents..maxAgents).")
        Integer replicas,

        @Pattern(Names.DURATION)
        @JsonPropertyDescription("How long an agent stays idle before it is removed (default 5m).")
        String scaleDownDelay,

        @JsonPropertyDescription("How an agent leaves the pool.")
        DrainSpec drain) {

    public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofMinutes(5);
    public static final Duration DEFAULT_DRAIN_GRACE_PERIOD = Duration.ofMinutes(10);

    static final String MIN_MAX_RULE = "!has(self.minAgents) || self.minAgents <= self.maxAgents";
    static final String MIN_MAX_MESSAGE = "minAgents must not exceed maxAgents";

    public int minAgentsOrDefault() {
        return minAgents == null ? 0 : minAgents;
    }

    public List<String> labelsOrEmpty() {
        return labels == null ? List.of() : labels;
    }

    public Duration scaleDownDelayOrDefault() {
        return Durations.parse(scaleDownDelay, DEFAULT_SCALE_DOWN_DELAY);
    }

    public Duration drainGracePeriodOrDefault() {
        return Durations.parse(drain == null ? null : drain.gracePeriod(), DEFAULT_DRAIN_GRACE_PERIOD);
    }

    public boolean waitForRunningActions() {
        return drain == null || drain.waitForRunningActions() == null || drain.waitForRunningActions();
    }

    /** The Workcell a pool belongs to. */
    public record WorkcellRef(
            @Required @Pattern(Names.DNS_SUBDOMAIN) @JsonPropertyDescription("Name of the Workcell.")
            String name) {}

    /** How an agent is taken out: drained first, so that its running actions finish. */
    public record DrainSpec(
            @Pattern(Names.DURATION) @JsonPropertyDescription("Longest wait for a draining agent (default 10m).")
            String gracePeriod,

            @JsonPropertyDescription("Wait for the agent's running actions to end before removing it (default true).")
            Boolean waitForRunningActions) {}
}
