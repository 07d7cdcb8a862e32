package dev.workcell.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the operator, under {@code workcell.operator.*} (env WORKCELL_OPERATOR_*). */
@ConfigMapping(prefix = "workcell.operator")
public interface OperatorConfig {

    /** Repository of the control-plane image; a Workcell without spec.image runs {@code <this>:<spec.version>}. */
    @WithDefault("workcell/control-plane")
    String controlPlaneImage();

    /** Repository of the edge-agent image; an agent pool without spec.image runs {@code <this>:<the Workcell's version>}. */
    @WithDefault("workcell/edge-agent")
    String agentImage();

    /**
     * The namespace the operator runs in (the Deployment passes its own through the downward API):
     * the NetworkPolicies let the operator's pods from there in. Unset: from any namespace.
     */
    Optional<String> namespace();

    /** How long the operator's database check may take to connect and log in. */
    @WithDefault("3s")
    Duration databaseCheckTimeout();

    /** How often a Workcell is looked at again without any event, to refresh its database condition. */
    @WithDefault("60s")
    Duration resyncInterval();
}
