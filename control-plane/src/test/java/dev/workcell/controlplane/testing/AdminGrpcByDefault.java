package dev.workcell.controlplane.testing;

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

/**
 * gRPC clients of @QuarkusTest classes carry the test admin token unless the call has its own
 * credential; agent streams never get it (a fake agent connects with its own credential).
 */
@GlobalInterceptor
@ApplicationScoped
public class AdminGrpcByDefault implements ClientInterceptor {

    private static final String CONNECT = AgentServiceGrpc.getConnectMethod().getFullMethodName();

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                if (!headers.containsKey(TestCredentials.AUTHORIZATION)
                        && !method.getFullMethodName().equals(CONNECT)) {
                    headers.put(TestCredentials.AUTHORIZATION, TestCredentials.bearer(TestCredentials.ADMIN));
                }
                super.start(listener, headers);
            }
        };
    }
}
