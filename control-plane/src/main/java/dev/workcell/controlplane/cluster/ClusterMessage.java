package dev.workcell.controlplane.cluster;

import java.util.List;

/**
 * What travels between control-plane replicas over the {@link ClusterBus}, one record per kind.
 * {@link ClusterMessageCodec} is the only place that turns them into words and back.
 */
public sealed interface ClusterMessage {

    /** A target may have work: the replica its agent is connected to dispatches for it. */
    record Kick(String targetId) implements ClusterMessage {}

    /** Actions wait in these dimension sets: each replica offers them to its matching devices. */
    record KickMatching(List<Long> setIds) implements ClusterMessage {}

    /** The agent running this attempt must stop it: the replica its stream is connected to tells it. */
    record StopAttempt(String workerId, String actionId, int attempt) implements ClusterMessage {}

    /** Messages naming only ids, which the bus may gather from many calls into one notification. */
    sealed interface Ids extends ClusterMessage {

        List<String> ids();
    }

    /** These actions changed: replicas with watchers read and publish them. */
    record ActionsChanged(List<String> ids) implements Ids {}

    /** These devices' admin labels changed: their live workers take the new dimensions. */
    record DevicesRelabelled(List<String> ids) implements Ids {}

    /** These agents were revoked: their streams end on every replica. */
    record AgentsRevoked(List<String> ids) implements Ids {}

    /** These workers are held by the sending replica now: any other replica lets them go. */
    record WorkersTaken(List<String> ids) implements Ids {}

    /** The workers table changed (a worker registered, went offline, moved): replicas forget the devices' workers they remember. */
    record WorkersChanged(List<String> ids) implements Ids {}

    /** Whether these devices can take work changed (online or offline, quarantined or released, approved, drained): replicas tell their watchers. */
    record AvailabilityChanged(List<String> ids) implements Ids {}
}
