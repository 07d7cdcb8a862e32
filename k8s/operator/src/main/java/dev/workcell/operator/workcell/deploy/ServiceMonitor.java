package dev.workcell.operator.workcell.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A prometheus-operator ServiceMonitor, as a generic resource with its type named: no
 * prometheus-operator library is needed, and unlike a plain GenericKubernetesResource the client
 * can address it without asking API discovery (which fails while the CRD is not installed).
 */
@Group("monitoring.coreos.com")
@Version("v1")
@Kind("ServiceMonitor")
@Plural("servicemonitors")
public class ServiceMonitor extends GenericKubernetesResource implements Namespaced {}
