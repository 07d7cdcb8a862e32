package dev.workcell.operator.workcell;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Map;

/**
 * The Service of the API port (REST and gRPC on one port). The management port (health, metrics)
 * has a ClusterIP Service of its own, so that a LoadBalancer never exposes it.
 */
public record ServiceSpec(
        @JsonPropertyDescription("Service type of the API (default ClusterIP).")
        Type type,

        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("Service port of the API (default 8443, or 8080 with tls.plaintext).")
        Integer port,

        @Min(1) @Max(65535) @JsonPropertyDescription("Service port of the management Service (default 9000).")
        Integer managementPort,

        @JsonPropertyDescription("Annotations of the API Service, e.g. for a cloud load balancer.")
        Map<String, String> annotations) {

    public static final ServiceSpec DEFAULT = new ServiceSpec(null, null, null, null);

    /** The Kubernetes Service types an API may have. */
    public enum Type {
        ClusterIP,
        NodePort,
        LoadBalancer
    }

    public Type typeOrDefault() {
        return type == null ? Type.ClusterIP : type;
    }

    public int portOr(int containerPort) {
        return port == null ? containerPort : port;
    }

    public int managementPortOrDefault() {
        return managementPort == null ? ControlPlanePorts.MANAGEMENT : managementPort;
    }

    public Map<String, String> annotationsOrEmpty() {
        return annotations == null ? Map.of() : annotations;
    }
}
