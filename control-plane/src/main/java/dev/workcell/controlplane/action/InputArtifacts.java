package dev.workcell.controlplane.action;

import dev.workcell.controlplane.artifact.ArtifactRefs;
import dev.workcell.controlplane.artifact.ArtifactStore;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.Artifact;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The artifacts an action's input refers to ({@code artifact:<sha256>}): checked at submit, sent with the task. */
@ApplicationScoped
public class InputArtifacts {

    private final ArtifactStore store;

    public InputArtifacts(ArtifactStore store) {
        this.store = store;
    }

    /** Fails naming the field when a referenced artifact does not exist or is incomplete. */
    public Uni<Void> requireAll(ActionInput input) {
        return of(input).replaceWithVoid();
    }

    /** The referenced artifacts, in the order the input names them. */
    public Uni<List<Artifact>> of(ActionInput input) {
        return Uni.createFrom()
                .item(() -> ArtifactRefs.of(input))
                .onItem()
                .transformToMulti(references -> Multi.createFrom().iterable(references))
                .onItem()
                .transformToUniAndConcatenate(reference -> store.find(reference.sha256())
                        .map(found -> found.orElseThrow(() -> new NotFoundException(reference.field() + ": no artifact "
                                + reference.sha256() + " (or its upload is not complete)"))))
                .collect()
                .asList();
    }
}
