package dev.workcell.operator.pool;

import dev.workcell.operator.pool.api.ControlPlaneApi;

/**
 * A pool's control plane: the API the operator calls, where the agents connect, and over TLS the
 * Secret key holding the certificate the agents trust.
 *
 * @param version the Workcell's version, which the agent image is tagged with by default
 * @param trustSecret null in plaintext
 */
public record ControlPlane(
        ControlPlaneApi api,
        String agentHost,
        int agentPort,
        boolean plaintext,
        String trustSecret,
        String trustKey,
        String version) {}
