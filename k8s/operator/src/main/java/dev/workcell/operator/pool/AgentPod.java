package dev.workcell.operator.pool;

import dev.workcell.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * One agent pod of a pool, owned by the pool. The agent enrolls with the token of the pool's
 * enrollment Secret and names its host after the pod (downward API), which is how the operator
 * finds a pod's agent in the control plane's pool view. It runs as non-root on a read-only root
 * file system; its work dir and credential live in an emptyDir, kept across container restarts.
 */
@ApplicationScoped
public class AgentPod {

    public static final String CONTAINER = "agent";
    static final String WORK_DIR = "/var/lib/workcell-agent";
    static final String TRUST_DIR = "/etc/workcell/control-plane";
    private static final String NAME_CHARACTERS = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OperatorConfig config;

    public AgentPod(OperatorConfig config) {
        this.config = config;
    }

    /** A fresh pod name: the pool's name (cut to fit a host name) and five random characters. */
    public static String newName(WorkcellAgentPool pool) {
        StringBuilder name = new StringBuilder(namePrefix(pool.getMetadata().getName()));
        for (int i = 0; i < 5; i++) {
            name.append(NAME_CHARACTERS.charAt(RANDOM.nextInt(NAME_CHARACTERS.length())));
        }
        return name.toString();
    }

    /** What the names of a pool's pods start with. */
    public static String namePrefix(String pool) {
        return (pool.length() > 57 ? pool.substring(0, 57) : pool) + "-";
    }

    public String image(WorkcellAgentPool pool, ControlPlane controlPlane) {
        String image = pool.getSpec().image();
        return image != null ? image : config.agentImage() + ":" + controlPlane.version();
    }

    public Pod build(WorkcellAgentPool pool, ControlPlane controlPlane, String name) {
        WorkcellAgentPoolSpec spec = pool.getSpec();
        PodBuilder pod = new PodBuilder()
                .withMetadata(PoolLabels.metadata(pool, name))
                .withNewSpec()
                .withRestartPolicy("Always")
                .withNodeSelector(spec.nodeSelector())
                .withTolerations(spec.tolerations())
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(image(pool, controlPlane))
                .withEnv(env(pool, controlPlane))
                .withResources(spec.resources())
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addToVolumeMounts(new VolumeMountBuilder()
                        .withName("work")
                        .withMountPath(WORK_DIR)
                        .build())
                .addToVolumeMounts(new VolumeMountBuilder()
                        .withName("tmp")
                        .withMountPath("/tmp")
                        .build())
                .endContainer()
                .addToVolumes(new VolumeBuilder()
                        .withName("work")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build())
                .addToVolumes(new VolumeBuilder()
                        .withName("tmp")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build())
                .endSpec();
        if (!controlPlane.plaintext()) {
            pod.editSpec()
                    .editFirstContainer()
                    .addToVolumeMounts(new VolumeMountBuilder()
                            .withName("control-plane-ca")
                            .withMountPath(TRUST_DIR)
                            .withReadOnly(true)
                            .build())
                    .endContainer()
                    .addToVolumes(new VolumeBuilder()
                            .withName("control-plane-ca")
                            .withNewSecret()
                            .withSecretName(controlPlane.trustSecret())
                            .addNewItem()
                            .withKey(controlPlane.trustKey())
                            .withPath("ca.crt")
                            .endItem()
                            .endSecret()
                            .build())
                    .endSpec();
        }
        Pod built = pod.build();
        built.addOwnerReference(pool);
        return built;
    }

    private static List<EnvVar> env(WorkcellAgentPool pool, ControlPlane controlPlane) {
        List<EnvVar> env = new ArrayList<>();
        env.add(value("WORKCELL_CONTROL_PLANE_HOST", controlPlane.agentHost()));
        env.add(value("WORKCELL_CONTROL_PLANE_PORT", Integer.toString(controlPlane.agentPort())));
        if (controlPlane.plaintext()) {
            env.add(value("WORKCELL_AGENT_PLAINTEXT", "true"));
        } else {
            env.add(value("QUARKUS_GRPC_CLIENTS_CONTROL_PLANE_SSL_TRUST_STORE", TRUST_DIR + "/ca.crt"));
        }
        env.add(new EnvVarBuilder()
                .withName("WORKCELL_AGENT_HOST_NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .build());
        env.add(new EnvVarBuilder()
                .withName("WORKCELL_AGENT_ENROLLMENT_TOKEN")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(EnrollmentSecret.name(pool))
                .withKey(EnrollmentSecret.KEY)
                .endSecretKeyRef()
                .endValueFrom()
                .build());
        env.add(value("WORKCELL_AGENT_WORK_DIR", WORK_DIR));
        return env;
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
