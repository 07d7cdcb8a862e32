package dev.workcell.operator.pool;

import dev.workcell.operator.workcell.Workcell;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A pool of in-cluster edge agents of one Workcell (emulators, GPU nodes, device hosts), sized from
 * the ledger's queue between minAgents and maxAgents, or through /scale by an HPA or KEDA.
 */
@Group(Workcell.GROUP)
@Version(Workcell.VERSION)
@ShortNames("wcap")
public class WorkcellAgentPool extends CustomResource<WorkcellAgentPoolSpec, WorkcellAgentPoolStatus>
        implements Namespaced {

    /** Required in the schema: a resource without a spec is refused by the API server. */
    @Override
    @Required
    public WorkcellAgentPoolSpec getSpec() {
        return super.getSpec();
    }

    @Override
    protected WorkcellAgentPoolStatus initStatus() {
        return new WorkcellAgentPoolStatus();
    }
}
