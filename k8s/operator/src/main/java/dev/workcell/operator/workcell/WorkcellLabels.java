package dev.workcell.operator.workcell;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.Map;

/**
 * The labels of what the operator creates for a Workcell, and those it lets through the
 * NetworkPolicy: pods labelled {@code workcell.dev/agent: <workcell>} or
 * {@code workcell.dev/client: <workcell>} may reach its API port.
 */
public final class WorkcellLabels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String VERSION = "app.kubernetes.io/version";

    public static final String APP = "workcell";
    public static final String CONTROL_PLANE = "control-plane";
    public static final String OPERATOR = "workcell-operator";

    /** Pods with this label set to the Workcell's name are its agents (the agent pools set it). */
    public static final String AGENT_OF = "workcell.dev/agent";
    /** Pods with this label set to the Workcell's name are its clients (CI jobs, tools). */
    public static final String CLIENT_OF = "workcell.dev/client";

    private WorkcellLabels() {}

    /** Selects the control-plane pods of one Workcell. */
    public static Map<String, String> selector(Workcell workcell) {
        return Map.of(NAME, APP, INSTANCE, workcell.getMetadata().getName(), COMPONENT, CONTROL_PLANE);
    }

    /** Labels of every object the operator creates for a Workcell. */
    public static Map<String, String> owned(Workcell workcell) {
        Map<String, String> labels = new HashMap<>(selector(workcell));
        labels.put(MANAGED_BY, OPERATOR);
        return labels;
    }

    /** Metadata of an object the operator creates for a Workcell: its name, the Workcell's namespace, the owned labels. */
    public static ObjectMeta metadata(Workcell workcell, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(workcell.getMetadata().getNamespace())
                .withLabels(owned(workcell))
                .build();
    }

    /** Labels of the control-plane pods: the owned labels, the version, then the spec's own. */
    public static Map<String, String> pod(Workcell workcell) {
        Map<String, String> labels = new HashMap<>(
                workcell.getSpec().podTemplateOrEmpty().labels() == null
                        ? Map.of()
                        : workcell.getSpec().podTemplateOrEmpty().labels());
        labels.putAll(owned(workcell));
        labels.put(VERSION, workcell.getSpec().version());
        return labels;
    }
}
