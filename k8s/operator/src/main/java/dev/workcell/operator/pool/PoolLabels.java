package dev.workcell.operator.pool;

import dev.workcell.operator.workcell.WorkcellLabels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import java.util.stream.Collectors;

/** Labels and annotations of the objects the operator makes for an agent pool. */
public final class PoolLabels {

    public static final String APP = "workcell-agent";
    public static final String AGENT = "agent";
    /** On a pod: when the operator drained its agent to remove it. */
    public static final String DRAIN_STARTED = "workcell.dev/drain-started";
    /** On a pod: since when its agent has been idle (what scaleDownDelay is measured from). */
    public static final String IDLE_SINCE = "workcell.dev/idle-since";
    /** The informer of agent pods sees only these. */
    public static final String POD_INFORMER_SELECTOR =
            WorkcellLabels.COMPONENT + "=" + AGENT + "," + WorkcellLabels.MANAGED_BY + "=" + WorkcellLabels.OPERATOR;

    private PoolLabels() {}

    /** Selects the agent pods of one pool. */
    public static Map<String, String> selector(WorkcellAgentPool pool) {
        return Map.of(
                WorkcellLabels.NAME,
                APP,
                WorkcellLabels.INSTANCE,
                pool.getMetadata().getName(),
                WorkcellLabels.COMPONENT,
                AGENT,
                WorkcellLabels.MANAGED_BY,
                WorkcellLabels.OPERATOR);
    }

    /** The selector as /scale reports it: name=value pairs, comma-separated. */
    public static String selectorText(WorkcellAgentPool pool) {
        return selector(pool).entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    public static ObjectMeta metadata(WorkcellAgentPool pool, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(pool.getMetadata().getNamespace())
                .withLabels(selector(pool))
                .build();
    }
}
