package dev.workcell.operator.workcell;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Workcell installation: its control-plane replicas, their database, TLS, Services and policies. */
@Group(Workcell.GROUP)
@Version(Workcell.VERSION)
@ShortNames("wc")
public class Workcell extends CustomResource<WorkcellSpec, WorkcellStatus> implements Namespaced {

    public static final String GROUP = "workcell.dev";
    public static final String VERSION = "v1alpha1";

    /** Required in the schema: a resource without a spec is refused by the API server. */
    @Override
    @Required
    public WorkcellSpec getSpec() {
        return super.getSpec();
    }

    @Override
    protected WorkcellStatus initStatus() {
        return new WorkcellStatus();
    }
}
