package dev.workcell.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Writes a primary resource's status by replacing it whole with one JSON patch operation: the
 * operator is the status's only writer, and nothing else of the resource is sent. JOSDK's own
 * status write without server-side apply is a JSON patch diffed against its cache, which fails
 * whenever the cached status is not the stored one; an update would send the spec too, which the
 * mock API server then stores over a newer one.
 */
public final class StatusWriter {

    private StatusWriter() {}

    /** Writes the resource's status and answers the reconciler's "nothing more to update". */
    public static <P extends HasMetadata> UpdateControl<P> replaceStatus(
            P resource, Object status, Context<P> context) {
        String replace = "[{\"op\": \"add\", \"path\": \"/status\", \"value\": " + Serialization.asJson(status) + "}]";
        context.resourceOperations()
                .resourcePatch(
                        resource,
                        r -> context.getClient()
                                .resource(r)
                                .subresource("status")
                                .patch(PatchContext.of(PatchType.JSON), replace),
                        context.eventSourceRetriever().getControllerEventSource());
        return UpdateControl.noUpdate();
    }
}
