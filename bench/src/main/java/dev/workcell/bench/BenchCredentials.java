package dev.workcell.bench;

import dev.workcell.proto.v1.AgentServiceGrpc.AgentServiceStub;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.EnrollRequest;
import dev.workcell.proto.v1.EnrollResponse;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * The credentials of the benchmarks, as a real deployment has them: submitters send a client
 * token (env WORKCELL_TOKEN, role submitter), and each simulated agent enrolls once with an
 * enrollment token (env WORKCELL_AGENT_ENROLLMENT_TOKEN, reusable) for a credential of its own.
 */
final class BenchCredentials {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private BenchCredentials() {}

    static ClientInterceptor asClient() {
        return bearer(required("WORKCELL_TOKEN"));
    }

    static ClientInterceptor bearer(String secret) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + secret);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** Enrolls an agent of this host; completes with its credential. */
    static CompletableFuture<String> enroll(AgentServiceStub controlPlane, String host) {
        CompletableFuture<String> credential = new CompletableFuture<>();
        controlPlane.enroll(
                EnrollRequest.newBuilder()
                        .setEnrollmentToken(required("WORKCELL_AGENT_ENROLLMENT_TOKEN"))
                        .setHost(Device.newBuilder().setName(host).setSerial(host))
                        .setAgentVersion("bench")
                        .build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(EnrollResponse response) {
                        credential.complete(response.getCredential());
                    }

                    @Override
                    public void onError(Throwable error) {
                        credential.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {}
                });
        return credential;
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set (bench/run.sh creates it)");
        }
        return value;
    }
}
