package dev.workcell.operator.common;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Secrets and ConfigMaps a pod spec reads: through env, envFrom and volumes (projected ones
 * included). One list serves three purposes, so they cannot disagree: what must exist before the
 * pods are created, what the pod template's hash covers, and which Secret events concern a resource.
 */
public final class PodReferences {

    /** The two kinds of configuration a pod reads. */
    public enum Kind {
        Secret,
        ConfigMap
    }

    /**
     * One reference: an object, optionally one key of it, and what in the pod uses it (for messages).
     *
     * @param key null when the whole object is read
     */
    public record Reference(Kind kind, String name, String key, boolean optional, String usedBy) {}

    private final List<Reference> references;

    private PodReferences(List<Reference> references) {
        this.references = List.copyOf(references);
    }

    public static PodReferences of(PodSpec pod) {
        List<Reference> found = new ArrayList<>();
        for (Container container : orEmpty(pod.getContainers())) {
            for (EnvVar env : orEmpty(container.getEnv())) {
                fromEnv(env, found);
            }
            for (EnvFromSource envFrom : orEmpty(container.getEnvFrom())) {
                if (envFrom.getSecretRef() != null) {
                    found.add(new Reference(
                            Kind.Secret,
                            envFrom.getSecretRef().getName(),
                            null,
                            Boolean.TRUE.equals(envFrom.getSecretRef().getOptional()),
                            "envFrom"));
                }
                if (envFrom.getConfigMapRef() != null) {
                    found.add(new Reference(
                            Kind.ConfigMap,
                            envFrom.getConfigMapRef().getName(),
                            null,
                            Boolean.TRUE.equals(envFrom.getConfigMapRef().getOptional()),
                            "envFrom"));
                }
            }
        }
        for (Volume volume : orEmpty(pod.getVolumes())) {
            fromVolume(volume, found);
        }
        return new PodReferences(found);
    }

    public List<Reference> all() {
        return references;
    }

    /** Names of the referenced objects of one kind, sorted. */
    public Set<String> names(Kind kind) {
        return references.stream()
                .filter(r -> r.kind() == kind)
                .map(Reference::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * What the pods would wait for: each required object that does not exist or lacks the key
     * read from it, said as "Secret db key password (env WORKCELL_DB_PASSWORD) does not exist".
     */
    public List<String> missing(ConfigSource source) {
        List<String> missing = new ArrayList<>();
        for (Reference reference : references) {
            if (reference.optional()) {
                continue;
            }
            var data = source.data(reference.kind(), reference.name());
            if (data.isEmpty()) {
                missing.add(reference.kind() + " " + reference.name() + " (" + reference.usedBy() + ") does not exist");
            } else if (reference.key() != null && !data.get().containsKey(reference.key())) {
                missing.add(reference.kind() + " " + reference.name() + " has no key " + reference.key() + " ("
                        + reference.usedBy() + ")");
            }
        }
        return missing;
    }

    private static void fromEnv(EnvVar env, List<Reference> found) {
        if (env.getValueFrom() == null) {
            return;
        }
        SecretKeySelector secret = env.getValueFrom().getSecretKeyRef();
        if (secret != null) {
            found.add(new Reference(
                    Kind.Secret,
                    secret.getName(),
                    secret.getKey(),
                    Boolean.TRUE.equals(secret.getOptional()),
                    "env " + env.getName()));
        }
        ConfigMapKeySelector configMap = env.getValueFrom().getConfigMapKeyRef();
        if (configMap != null) {
            found.add(new Reference(
                    Kind.ConfigMap,
                    configMap.getName(),
                    configMap.getKey(),
                    Boolean.TRUE.equals(configMap.getOptional()),
                    "env " + env.getName()));
        }
    }

    private static void fromVolume(Volume volume, List<Reference> found) {
        String usedBy = "volume " + volume.getName();
        if (volume.getSecret() != null) {
            addWithItems(
                    Kind.Secret,
                    volume.getSecret().getSecretName(),
                    volume.getSecret().getItems(),
                    Boolean.TRUE.equals(volume.getSecret().getOptional()),
                    usedBy,
                    found);
        }
        if (volume.getConfigMap() != null) {
            addWithItems(
                    Kind.ConfigMap,
                    volume.getConfigMap().getName(),
                    volume.getConfigMap().getItems(),
                    Boolean.TRUE.equals(volume.getConfigMap().getOptional()),
                    usedBy,
                    found);
        }
        if (volume.getProjected() != null) {
            for (VolumeProjection source : orEmpty(volume.getProjected().getSources())) {
                if (source.getSecret() != null) {
                    addWithItems(
                            Kind.Secret,
                            source.getSecret().getName(),
                            source.getSecret().getItems(),
                            Boolean.TRUE.equals(source.getSecret().getOptional()),
                            usedBy,
                            found);
                }
                if (source.getConfigMap() != null) {
                    addWithItems(
                            Kind.ConfigMap,
                            source.getConfigMap().getName(),
                            source.getConfigMap().getItems(),
                            Boolean.TRUE.equals(source.getConfigMap().getOptional()),
                            usedBy,
                            found);
                }
            }
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static void addWithItems(
            Kind kind, String name, List<KeyToPath> items, boolean optional, String usedBy, List<Reference> found) {
        if (items == null || items.isEmpty()) {
            found.add(new Reference(kind, name, null, optional, usedBy));
            return;
        }
        for (KeyToPath item : items) {
            found.add(new Reference(kind, name, item.getKey(), optional, usedBy));
        }
    }
}
