package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.common.SecretKeyRef;
import dev.workcell.operator.config.OperatorConfig;
import dev.workcell.operator.workcell.ControlPlanePorts;
import dev.workcell.operator.workcell.DatabaseSpec;
import dev.workcell.operator.workcell.PodTemplateOverrides;
import dev.workcell.operator.workcell.TlsSpec;
import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.WorkcellLabels;
import dev.workcell.operator.workcell.WorkcellSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The control-plane pod of a Workcell, as the README's "Running it", "TLS" and "Health and
 * metrics" configure the control plane: settings as environment variables, credentials from
 * Secret key references, certificates mounted from Secrets, probes on the management port, and a
 * locked-down container (non-root, read-only root file system with an emptyDir /tmp).
 */
@Singleton
public class ControlPlanePod {

    public static final String CONTAINER = "control-plane";
    /** The user of the Quarkus JVM base images; set so that an image built as root still runs as non-root. */
    static final long USER = 185;

    static final String TLS_DIR = "/etc/workcell/tls";
    static final String AGENT_CA_DIR = "/etc/workcell/agent-ca";
    static final String TLS_CONFIGURATION = "workcell";

    private final OperatorConfig config;

    public ControlPlanePod(OperatorConfig config) {
        this.config = config;
    }

    public String image(WorkcellSpec spec) {
        return spec.image() != null ? spec.image() : config.controlPlaneImage() + ":" + spec.version();
    }

    /** The pod template, without the hash of the Secrets and ConfigMaps it references (see ConfigHash). */
    public PodTemplateSpec template(Workcell workcell) {
        WorkcellSpec spec = workcell.getSpec();
        PodTemplateOverrides overrides = spec.podTemplateOrEmpty();
        Map<String, String> annotations =
                overrides.annotations() == null ? new HashMap<>() : new HashMap<>(overrides.annotations());
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(WorkcellLabels.pod(workcell))
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withContainers(container(workcell))
                .withVolumes(volumes(spec.tls()))
                .withAffinity(overrides.affinity() != null ? overrides.affinity() : spreadOverNodes(workcell))
                .withNodeSelector(overrides.nodeSelector())
                .withTolerations(overrides.tolerations())
                .withTopologySpreadConstraints(overrides.topologySpreadConstraints())
                .withPriorityClassName(overrides.priorityClassName())
                .withServiceAccountName(overrides.serviceAccountName())
                .withImagePullSecrets(overrides.imagePullSecrets())
                .withTerminationGracePeriodSeconds(overrides.terminationGracePeriodSeconds())
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(USER)
                .withRunAsGroup(USER)
                .withFsGroup(USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .endSpec()
                .build();
    }

    private Container container(Workcell workcell) {
        WorkcellSpec spec = workcell.getSpec();
        int apiPort = ControlPlanePorts.api(spec.tls());
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image(spec))
                .withImagePullPolicy("IfNotPresent")
                .addNewPort()
                .withName(ControlPlanePorts.API_NAME)
                .withContainerPort(apiPort)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName(ControlPlanePorts.MANAGEMENT_NAME)
                .withContainerPort(ControlPlanePorts.MANAGEMENT)
                .withProtocol("TCP")
                .endPort()
                .withEnv(env(workcell))
                .withEnvFrom(spec.podTemplateOrEmpty().envFrom())
                .withResources(spec.resources())
                .withStartupProbe(probe("/q/health/started", 5, 60))
                .withLivenessProbe(probe("/q/health/live", 10, 3))
                .withReadinessProbe(probe("/q/health/ready", 5, 2))
                .withVolumeMounts(mounts(spec.tls()))
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .build();
    }

    private static List<EnvVar> env(Workcell workcell) {
        WorkcellSpec spec = workcell.getSpec();
        DatabaseSpec database = spec.database();
        List<EnvVar> env = new ArrayList<>();
        env.add(value("WORKCELL_DB", database.address()));
        env.add(fromSecret("WORKCELL_DB_USER", database.user()));
        env.add(fromSecret("WORKCELL_DB_PASSWORD", database.password()));
        if (database.poolSize() != null) {
            env.add(value(
                    "QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE", database.poolSize().toString()));
        }
        env.add(value("QUARKUS_MANAGEMENT_PORT", Integer.toString(ControlPlanePorts.MANAGEMENT)));
        TlsSpec tls = spec.tls();
        if (tls.plaintextRequested()) {
            env.add(value("WORKCELL_PLAINTEXT", "enabled"));
            env.add(value("QUARKUS_HTTP_PORT", Integer.toString(ControlPlanePorts.API_PLAINTEXT)));
        } else {
            env.add(value("WORKCELL_TLS_PORT", Integer.toString(ControlPlanePorts.API_TLS)));
            env.add(value("QUARKUS_HTTP_TLS_CONFIGURATION_NAME", TLS_CONFIGURATION));
            env.add(value("JAVA_TOOL_OPTIONS", tlsOptions(tls)));
        }
        env.add(value("WORKCELL_TLS_REQUIRE_AGENT_CERTIFICATE", Boolean.toString(tls.agentCertificatesRequired())));
        env.add(fromSecret("WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN", BootstrapAdminToken.reference(workcell)));
        if (spec.podTemplateOrEmpty().env() != null) {
            env.addAll(spec.podTemplateOrEmpty().env());
        }
        return env;
    }

    /**
     * The certificates as a TLS configuration of its own, named for the API port only: the default
     * configuration would also put the management port (probes, metrics) on TLS. Its keys name a
     * map entry, which environment variables cannot express, hence JVM system properties
     * (JAVA_TOOL_OPTIONS: more JVM options go in JDK_JAVA_OPTIONS).
     */
    private static String tlsOptions(TlsSpec tls) {
        String prefix = "-Dquarkus.tls." + TLS_CONFIGURATION + ".";
        String options = prefix + "key-store.pem.0.cert=" + TLS_DIR + "/" + TlsSpec.CERTIFICATE_KEY + " " + prefix
                + "key-store.pem.0.key=" + TLS_DIR + "/" + TlsSpec.PRIVATE_KEY_KEY;
        if (tls.agentCaSecret() != null) {
            options += " " + prefix + "trust-store.pem.certs=" + AGENT_CA_DIR + "/" + TlsSpec.CA_KEY;
        }
        return options;
    }

    private static List<Volume> volumes(TlsSpec tls) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
        if (tls.serverCertificateSecret() != null) {
            volumes.add(secretVolume(
                    "tls", tls.serverCertificateSecret(), TlsSpec.CERTIFICATE_KEY, TlsSpec.PRIVATE_KEY_KEY));
        }
        if (tls.agentCaSecret() != null) {
            volumes.add(secretVolume("agent-ca", tls.agentCaSecret(), TlsSpec.CA_KEY));
        }
        return volumes;
    }

    private static List<VolumeMount> mounts(TlsSpec tls) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (tls.serverCertificateSecret() != null) {
            mounts.add(new VolumeMountBuilder()
                    .withName("tls")
                    .withMountPath(TLS_DIR)
                    .withReadOnly(true)
                    .build());
        }
        if (tls.agentCaSecret() != null) {
            mounts.add(new VolumeMountBuilder()
                    .withName("agent-ca")
                    .withMountPath(AGENT_CA_DIR)
                    .withReadOnly(true)
                    .build());
        }
        return mounts;
    }

    /** Prefer one replica per node, so that losing a node loses one replica. */
    private static Affinity spreadOverNodes(Workcell workcell) {
        return new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withNewLabelSelector()
                .withMatchLabels(WorkcellLabels.selector(workcell))
                .endLabelSelector()
                .withTopologyKey("kubernetes.io/hostname")
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withNewPort(ControlPlanePorts.MANAGEMENT_NAME)
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(3)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /** A Secret mounted with the keys the control plane reads, so that a missing key is named before the pods wait for it. */
    private static Volume secretVolume(String name, String secret, String... keys) {
        List<KeyToPath> items =
                Arrays.stream(keys).map(key -> new KeyToPath(key, null, key)).toList();
        return new VolumeBuilder()
                .withName(name)
                .withNewSecret()
                .withSecretName(secret)
                .withItems(items)
                .endSecret()
                .build();
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fromSecret(String name, SecretKeyRef ref) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(ref.name())
                .withKey(ref.key())
                .endSecretKeyRef()
                .endValueFrom()
                .build();
    }
}
