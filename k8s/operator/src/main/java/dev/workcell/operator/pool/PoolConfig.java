package dev.workcell.operator.pool;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Settings of the agent pools, under {@code workcell.operator.pools.*} (env WORKCELL_OPERATOR_POOLS_*). */
@ConfigMapping(prefix = "workcell.operator.pools")
public interface PoolConfig {

    /** How often a pool's demand is read from its control plane (the pool is also looked at on every pod event). */
    @WithDefault("15s")
    Duration pollInterval();

    /** Lifetime of the enrollment tokens the operator creates. */
    @WithDefault("24h")
    Duration tokenLifetime();

    /** A token with less than this left is replaced by a new one (agents enroll once; new pods read the new one). */
    @WithDefault("8h")
    Duration tokenRenewBefore();

    /** How long one call to a control plane may take. */
    @WithDefault("5s")
    Duration requestTimeout();

    /**
     * The control-plane URL of a Workcell, by the Workcell's name, instead of its in-cluster Service:
     * for an operator run outside the cluster (e.g. through {@code kubectl port-forward}) and for tests.
     */
    Map<String, String> controlPlaneUrls();
}
