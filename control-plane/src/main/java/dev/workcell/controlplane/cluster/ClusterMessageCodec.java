package dev.workcell.controlplane.cluster;

import dev.workcell.controlplane.cluster.ClusterMessage.ActionsChanged;
import dev.workcell.controlplane.cluster.ClusterMessage.AgentsRevoked;
import dev.workcell.controlplane.cluster.ClusterMessage.AvailabilityChanged;
import dev.workcell.controlplane.cluster.ClusterMessage.DevicesRelabelled;
import dev.workcell.controlplane.cluster.ClusterMessage.Kick;
import dev.workcell.controlplane.cluster.ClusterMessage.KickMatching;
import dev.workcell.controlplane.cluster.ClusterMessage.StopAttempt;
import dev.workcell.controlplane.cluster.ClusterMessage.WorkersChanged;
import dev.workcell.controlplane.cluster.ClusterMessage.WorkersTaken;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@link ClusterMessage}s as text: a kind, then its arguments, separated by single spaces, each
 * argument percent-encoded so that no id can carry a space (or anything else) that would shift the
 * others. Kinds and their arguments' order are the wire format between replicas of one version.
 */
public final class ClusterMessageCodec {

    static final String KICK = "kick";
    static final String KICK_MATCHING = "kick-matching";
    static final String STOP = "stop";
    static final String CHANGED = "changed";
    static final String RELABELLED = "device-relabelled";
    static final String REVOKED = "agent-revoked";
    static final String TAKEN = "taken";
    static final String WORKERS_CHANGED = "workers-changed";
    static final String AVAILABILITY_CHANGED = "availability-changed";

    private ClusterMessageCodec() {}

    public static String encode(ClusterMessage message) {
        return text(
                kindOf(message),
                arguments(message).stream().map(ClusterMessageCodec::escape).toList());
    }

    /** The message a text encodes; IllegalArgumentException when it is not one (an unknown kind, missing arguments). */
    public static ClusterMessage decode(String text) {
        List<String> words = Arrays.asList(text.split(" ", -1));
        return of(
                words.get(0),
                words.subList(1, words.size()).stream()
                        .map(ClusterMessageCodec::unescape)
                        .toList());
    }

    /** The kind and escaped arguments as one text, the escaped arguments already gathered (see ClusterBus#tellSoon). */
    static String text(String kind, List<String> escapedArguments) {
        return escapedArguments.isEmpty() ? kind : kind + " " + String.join(" ", escapedArguments);
    }

    static String kindOf(ClusterMessage message) {
        if (message instanceof Kick) {
            return KICK;
        } else if (message instanceof KickMatching) {
            return KICK_MATCHING;
        } else if (message instanceof StopAttempt) {
            return STOP;
        } else if (message instanceof ActionsChanged) {
            return CHANGED;
        } else if (message instanceof DevicesRelabelled) {
            return RELABELLED;
        } else if (message instanceof AgentsRevoked) {
            return REVOKED;
        } else if (message instanceof WorkersTaken) {
            return TAKEN;
        } else if (message instanceof WorkersChanged) {
            return WORKERS_CHANGED;
        } else if (message instanceof AvailabilityChanged) {
            return AVAILABILITY_CHANGED;
        }
        throw new IllegalArgumentException("no kind for " + message);
    }

    /** A message's arguments, not escaped. */
    static List<String> arguments(ClusterMessage message) {
        if (message instanceof Kick kick) {
            return List.of(kick.targetId());
        } else if (message instanceof KickMatching kickMatching) {
            return kickMatching.setIds().stream().map(String::valueOf).toList();
        } else if (message instanceof StopAttempt stop) {
            return List.of(stop.workerId(), stop.actionId(), Integer.toString(stop.attempt()));
        } else if (message instanceof ClusterMessage.Ids ids) {
            return ids.ids();
        }
        throw new IllegalArgumentException("no arguments for " + message);
    }

    /** The message of a kind with these (not escaped) arguments. */
    static ClusterMessage of(String kind, List<String> arguments) {
        return switch (kind) {
            case KICK -> new Kick(exactly(1, kind, arguments).get(0));
            case KICK_MATCHING ->
                new KickMatching(arguments.stream().map(Long::valueOf).toList());
            case STOP ->
                new StopAttempt(
                        exactly(3, kind, arguments).get(0), arguments.get(1), Integer.parseInt(arguments.get(2)));
            case CHANGED -> new ActionsChanged(arguments);
            case RELABELLED -> new DevicesRelabelled(arguments);
            case REVOKED -> new AgentsRevoked(arguments);
            case TAKEN -> new WorkersTaken(arguments);
            case WORKERS_CHANGED -> new WorkersChanged(arguments);
            case AVAILABILITY_CHANGED -> new AvailabilityChanged(arguments);
            default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
        };
    }

    static String escape(String argument) {
        return URLEncoder.encode(argument, StandardCharsets.UTF_8);
    }

    private static String unescape(String argument) {
        return URLDecoder.decode(argument, StandardCharsets.UTF_8);
    }

    private static List<String> exactly(int count, String kind, List<String> arguments) {
        if (arguments.size() != count) {
            throw new IllegalArgumentException(kind + " takes " + count + " arguments, got " + arguments.size());
        }
        return arguments;
    }
}
