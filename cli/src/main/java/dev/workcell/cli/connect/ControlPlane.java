package dev.workcell.cli.connect;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.ArtifactServiceGrpc;
import dev.workcell.proto.v1.CampaignServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One control plane as the commands use it: the gRPC ActionService and ArtifactService on one
 * channel, and the REST API for what only REST has. Both carry the bearer token, over TLS unless
 * the server is an http:// one. The channel is opened by the first call.
 */
public final class ControlPlane implements AutoCloseable {

    /** How long a unary call may take; streams have no deadline. */
    public static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    private final Endpoint endpoint;
    private ManagedChannel channel;

    public ControlPlane(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Unary calls, each with {@link #CALL_DEADLINE}. */
    public ActionServiceGrpc.ActionServiceBlockingStub actions() {
        return ActionServiceGrpc.newBlockingStub(channel())
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Streams (Watch, Logs), without a deadline. */
    public ActionServiceGrpc.ActionServiceStub streams() {
        return ActionServiceGrpc.newStub(channel());
    }

    /** Streams read in the calling thread (a followed log), without a deadline. */
    public ActionServiceGrpc.ActionServiceBlockingStub blockingStreams() {
        return ActionServiceGrpc.newBlockingStub(channel());
    }

    /** Subjects, campaigns and their grids. */
    public CampaignServiceGrpc.CampaignServiceBlockingStub campaigns() {
        return CampaignServiceGrpc.newBlockingStub(channel())
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Artifact downloads, a blocking stream without a deadline. */
    public ArtifactServiceGrpc.ArtifactServiceBlockingStub artifacts() {
        return ArtifactServiceGrpc.newBlockingStub(channel());
    }

    public Rest rest() {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (endpoint.server().tls() && endpoint.ca() != null) {
            http.sslContext(Trust.trusting(endpoint.ca()));
        }
        return new Rest(http.build(), endpoint.server().api(), endpoint.token(), CALL_DEADLINE);
    }

    private synchronized ManagedChannel channel() {
        if (channel == null) {
            Metadata headers = new Metadata();
            headers.put(
                    Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + endpoint.token());
            channel = Grpc.newChannelBuilderForAddress(
                            endpoint.server().host(), endpoint.server().port(), credentials())
                    .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .maxInboundMessageSize(8 * 1024 * 1024)
                    .build();
        }
        return channel;
    }

    private ChannelCredentials credentials() {
        if (!endpoint.server().tls()) {
            return InsecureChannelCredentials.create();
        }
        if (endpoint.ca() == null) {
            return TlsChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder()
                    .trustManager(endpoint.ca().toFile())
                    .build();
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read --ca " + endpoint.ca() + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }
}
