package dev.workcell.operator.pool;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** What the operator last saw of a pool: its agents by state and the queue it serves. */
public class WorkcellAgentPoolStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @StatusReplicas
    @JsonPropertyDescription("Agent pods that exist (what /scale reports).")
    private Integer replicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the pool's agent pods (for /scale).")
    private String selector;

    @JsonPropertyDescription("Agents the pool should have now.")
    private Integer desired;

    @JsonPropertyDescription("Agents connected to the control plane.")
    private Integer ready;

    @JsonPropertyDescription("Agents running an action.")
    private Integer busy;

    @JsonPropertyDescription("Agents waiting for work.")
    private Integer idle;

    @JsonPropertyDescription("Agents being drained before removal.")
    private Integer draining;

    @JsonPropertyDescription("Actions queued for the pool's targets.")
    private Integer queued;

    @JsonPropertyDescription("How long the oldest of them has waited, e.g. 42s.")
    private String oldestQueuedAge;

    @JsonPropertyDescription("Ready, ScalingLimited, Degraded, with reasons.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public Integer getDesired() {
        return desired;
    }

    public void setDesired(Integer desired) {
        this.desired = desired;
    }

    public Integer getReady() {
        return ready;
    }

    public void setReady(Integer ready) {
        this.ready = ready;
    }

    public Integer getBusy() {
        return busy;
    }

    public void setBusy(Integer busy) {
        this.busy = busy;
    }

    public Integer getIdle() {
        return idle;
    }

    public void setIdle(Integer idle) {
        this.idle = idle;
    }

    public Integer getDraining() {
        return draining;
    }

    public void setDraining(Integer draining) {
        this.draining = draining;
    }

    public Integer getQueued() {
        return queued;
    }

    public void setQueued(Integer queued) {
        this.queued = queued;
    }

    public String getOldestQueuedAge() {
        return oldestQueuedAge;
    }

    public void setOldestQueuedAge(String oldestQueuedAge) {
        this.oldestQueuedAge = oldestQueuedAge;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
