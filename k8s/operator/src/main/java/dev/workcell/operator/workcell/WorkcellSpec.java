package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.workcell.operator.common.Names;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** What a Workcell should be; fields left out take the defaults named in their descriptions. */
public record WorkcellSpec(
        @Required
        @Pattern(ControlPlaneVersions.PATTERN)
        @JsonPropertyDescription(
                "Control-plane version to run, e.g. 0.1.0; the operator refuses a version it cannot run.")
        String version,

        @Pattern(Names.IMAGE)
        @JsonPropertyDescription(
                "Control-plane image; default: the operator's control-plane image repository, tagged with version.")
        String image,

        @Min(0) @JsonPropertyDescription("Control-plane replicas (default 2).")
        Integer replicas,

        @JsonPropertyDescription("Resources of the control-plane container.")
        ResourceRequirements resources,

        @JsonPropertyDescription("Additions to the control-plane pods.")
        PodTemplateOverrides podTemplate,

        @Required @JsonPropertyDescription("The PostgreSQL database, the control plane's one shared state.")
        DatabaseSpec database,

        @Required @JsonPropertyDescription("Transport security of the API port.")
        TlsSpec tls,

        @JsonPropertyDescription(
                "Where the bootstrap admin token is; the operator generates the Secret when it does not exist.")
        BootstrapAdminTokenSpec bootstrapAdminToken,

        @JsonPropertyDescription("The Service of the API port.")
        ServiceSpec service,

        @JsonPropertyDescription("The PodDisruptionBudget of the control-plane pods.")
        PdbSpec pdb,

        @JsonPropertyDescription("Prometheus scraping.") MetricsSpec metrics,

        @JsonPropertyDescription("Who may reach the control-plane pods.")
        NetworkPolicySpec networkPolicy,

        @JsonPropertyDescription("When true the operator leaves everything as it is until paused is false again.")
        Boolean paused) {

    public static final int DEFAULT_REPLICAS = 2;

    public int replicasOrDefault() {
        return replicas == null ? DEFAULT_REPLICAS : replicas;
    }

    public boolean pauseRequested() {
        return Boolean.TRUE.equals(paused);
    }

    public PodTemplateOverrides podTemplateOrEmpty() {
        return podTemplate == null ? PodTemplateOverrides.NONE : podTemplate;
    }

    public BootstrapAdminTokenSpec bootstrapAdminTokenOrDefault() {
        return bootstrapAdminToken == null ? BootstrapAdminTokenSpec.DEFAULT : bootstrapAdminToken;
    }

    public ServiceSpec serviceOrDefault() {
        return service == null ? ServiceSpec.DEFAULT : service;
    }

    public PdbSpec pdbOrDefault() {
        return pdb == null ? PdbSpec.DEFAULT : pdb;
    }

    public MetricsSpec metricsOrDefault() {
        return metrics == null ? MetricsSpec.DEFAULT : metrics;
    }

    public NetworkPolicySpec networkPolicyOrDefault() {
        return networkPolicy == null ? NetworkPolicySpec.DEFAULT : networkPolicy;
    }
}
