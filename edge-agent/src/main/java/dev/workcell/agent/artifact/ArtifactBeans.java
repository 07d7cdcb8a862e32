package dev.workcell.agent.artifact;

import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.outbox.Outbox;
import dev.workcell.proto.v1.Operation;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Builds the artifact machinery on the control plane's channel. It uses the plain gRPC stubs, not
 * the Mutiny ones: those send a client stream as fast as it is produced, and an upload must go only
 * as fast as the connection takes it.
 */
public class ArtifactBeans {

    @Produces
    @Singleton
    InputArtifacts inputArtifacts(@GrpcClient("control-plane") Channel channel) {
        return new InputArtifacts(new ArtifactDownloader(channel));
    }

    @Produces
    @Singleton
    ResultUploads resultUploads(@GrpcClient("control-plane") Channel channel, Outbox outbox) {
        return new ResultUploads(outbox, new ArtifactUploader(channel));
    }

    @Produces
    @Singleton
    OutputStash outputStash(Outbox outbox, AgentConfig config) {
        return new OutputStash(
                outbox,
                Map.of(
                        Operation.EXEC, config.exec().outputs().orElse(List.of()),
                        Operation.TRACE, config.operations().trace().outputs().orElse(List.of()),
                        Operation.REPLAY, config.operations().replay().outputs().orElse(List.of()),
                        Operation.REPORT, config.operations().report().outputs().orElse(List.of())));
    }
}
