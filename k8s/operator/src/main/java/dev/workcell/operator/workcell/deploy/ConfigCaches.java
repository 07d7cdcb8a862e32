package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.common.ConfigSource;
import dev.workcell.operator.common.PodReferences.Kind;
import dev.workcell.operator.workcell.Workcell;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashMap;
import java.util.Map;

/**
 * The Secrets and ConfigMaps of a Workcell's namespace as the operator's informers hold them
 * (registered by the reconciler under {@link #SECRETS} and {@link #CONFIG_MAPS}), so that a rotated
 * Secret both triggers a reconcile and is read without another API call.
 */
public final class ConfigCaches {

    public static final String SECRETS = "secrets";
    public static final String CONFIG_MAPS = "config-maps";

    private ConfigCaches() {}

    @SuppressWarnings("unchecked")
    public static ConfigSource of(Context<Workcell> context) {
        String namespace = context.getPrimaryResource().getMetadata().getNamespace();
        var secrets = (InformerEventSource<Secret, Workcell>)
                context.eventSourceRetriever().getEventSourceFor(Secret.class, SECRETS);
        var configMaps = (InformerEventSource<ConfigMap, Workcell>)
                context.eventSourceRetriever().getEventSourceFor(ConfigMap.class, CONFIG_MAPS);
        return (kind, name) -> kind == Kind.Secret
                ? secrets.get(new ResourceID(name, namespace)).map(ConfigCaches::data)
                : configMaps.get(new ResourceID(name, namespace)).map(ConfigCaches::data);
    }

    private static Map<String, String> data(Secret secret) {
        return secret.getData() == null ? Map.of() : secret.getData();
    }

    private static Map<String, String> data(ConfigMap configMap) {
        Map<String, String> data = new HashMap<>();
        if (configMap.getData() != null) {
            data.putAll(configMap.getData());
        }
        if (configMap.getBinaryData() != null) {
            data.putAll(configMap.getBinaryData());
        }
        return data;
    }
}
