package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator last saw of a Workcell: its rollout, database and the conditions that sum them up. */
public class WorkcellStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Control-plane pods that are ready.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Control-plane version all ready pods run, once a rollout finished.")
    private String version;

    @JsonPropertyDescription("Latest schema migration applied to the database (Flyway's version).")
    private String schemaVersion;

    @JsonPropertyDescription("host:port of the API inside the cluster.")
    private String endpoint;

    @JsonPropertyDescription("The Secret holding the bootstrap admin token.")
    private String bootstrapAdminTokenSecret;

    @JsonPropertyDescription("Ready, Progressing, DatabaseReady and Degraded, with reasons.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getSchemaVersion() {
        return schemaVersion;
    }

    public void setSchemaVersion(String schemaVersion) {
        this.schemaVersion = schemaVersion;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getBootstrapAdminTokenSecret() {
        return bootstrapAdminTokenSecret;
    }

    public void setBootstrapAdminTokenSecret(String bootstrapAdminTokenSecret) {
        this.bootstrapAdminTokenSecret = bootstrapAdminTokenSecret;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
