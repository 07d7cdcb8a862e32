package dev.workcell.operator.config;

import dev.workcell.operator.workcell.ControlPlaneVersions;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the plain classes that need the operator's own version or settings. */
public class OperatorBeans {

    @Produces
    @Singleton
    ControlPlaneVersions controlPlaneVersions(@ConfigProperty(name = "quarkus.application.version") String version) {
        return new ControlPlaneVersions(version);
    }
}
