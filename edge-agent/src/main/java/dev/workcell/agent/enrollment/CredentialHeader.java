package dev.workcell.agent.enrollment;

import dev.workcell.proto.v1.AgentServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** Every call but Enroll carries the agent's credential as "authorization: Bearer ...". */
@GlobalInterceptor
@ApplicationScoped
public class CredentialHeader implements ClientInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String ENROLL = AgentServiceGrpc.getEnrollMethod().getFullMethodName();

    private final AgentCredential credential;

    CredentialHeader(AgentCredential credential) {
        this.credential = credential;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ClientCall<Q, R> call = next.newCall(method, options);
        if (method.getFullMethodName().equals(ENROLL)) {
            return call;
        }
        return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                credential.current().ifPresent(secret -> headers.put(AUTHORIZATION, "Bearer " + secret));
                super.start(listener, headers);
            }
        };
    }
}
