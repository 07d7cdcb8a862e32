package dev.workcell.controlplane.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/** The named checks behind /q/health/live, /q/health/ready and /q/health/started. */
@ApplicationScoped
public class HealthChecks {

    private final ReplicaReadiness readiness;

    public HealthChecks(ReplicaReadiness readiness) {
        this.readiness = readiness;
    }

    @Produces
    @Startup
    HealthCheck started() {
        return readiness::started;
    }

    @Produces
    @Liveness
    HealthCheck eventLoop() {
        return readiness::eventLoop;
    }

    @Produces
    @Readiness
    HealthCheck database() {
        return readiness::database;
    }

    @Produces
    @Readiness
    HealthCheck clusterBus() {
        return readiness::clusterBus;
    }

    @Produces
    @Readiness
    HealthCheck heartbeat() {
        return readiness::heartbeat;
    }

    @Produces
    @Readiness
    HealthCheck lifecycle() {
        return readiness::lifecycle;
    }
}
