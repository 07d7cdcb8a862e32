package dev.workcell.agent.connection;

import jakarta.enterprise.context.ApplicationScoped;

import dev.workcell.proto.v1.AgentServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Tells whether the agent's stream can take more messages without piling them up in memory
 * (gRPC's own flow control, which the Mutiny stub does not pass on): it watches the calls the
 * agent makes and keeps the latest Connect call.
 */
@GlobalInterceptor
@ApplicationScoped
public class StreamReadiness implements ClientInterceptor {

    private static final String CONNECT = AgentServiceGrpc.getConnectMethod().getFullMethodName();

    private volatile ClientCall<?, ?> stream;

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ClientCall<Q, R> call = next.newCall(method, options);
        if (method.getFullMethodName().equals(CONNECT)) {
            stream = call;
        }
        return call;
    }

    /** Whether the latest stream is open and its outgoing buffer is below gRPC's threshold (32 KiB). */
    boolean isReady() {
        ClientCall<?, ?> call = stream;
        return call != null && call.isReady();
    }
}
