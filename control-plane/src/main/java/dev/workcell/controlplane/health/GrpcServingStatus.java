package dev.workcell.controlplane.health;

import dev.workcell.controlplane.cluster.ReplicaDrain;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;

/**
 * Makes the gRPC health service (grpc.health.v1.Health) answer as readiness does: quarkus-grpc
 * sets every service SERVING when its server starts and never changes it by itself, so this
 * copies the replica's readiness into it every second, for the server ("") and each service.
 */
@ApplicationScoped
public class GrpcServingStatus {

    private final GrpcHealthStorage storage;
    private final ReplicaReadiness readiness;
    private final Vertx vertx;
    private volatile ServingStatus current;
    private long timer;

    public GrpcServingStatus(GrpcHealthStorage storage, ReplicaReadiness readiness, Vertx vertx) {
        this.storage = storage;
        this.readiness = readiness;
        this.vertx = vertx;
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 1) StartupEvent event) {
        update();
        timer = vertx.setPeriodic(ReplicaReadiness.PROBE_INTERVAL.toMillis(), ignored -> update());
    }

    /** The application's beans are going away: a tick after that would fail. */
    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    /** NOT_SERVING as soon as the replica drains, not at the next tick. */
    void draining(@Observes ReplicaDrain.Started event) {
        update();
    }

    private void update() {
        ServingStatus status = readiness.ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        if (status != current) {
            Log.infof("gRPC health: %s", status);
            current = status;
        }
        List.copyOf(storage.getStatuses().keySet()).forEach(service -> storage.setStatus(service, status));
    }
}
