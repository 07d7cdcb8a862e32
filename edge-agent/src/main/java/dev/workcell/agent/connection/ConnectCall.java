package dev.workcell.agent.connection;

import dev.workcell.proto.v1.AgentServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The agent's latest Connect call as gRPC sees it, which the Mutiny stub hides: whether it can take
 * more messages without piling them up in memory (gRPC's own flow control), and a way to end it from
 * the agent's side. Cancelling the stub's Multi does not end the call: it stays open until its
 * connection dies, and its end is then an error nobody can receive (Mutiny drops and logs it).
 */
@GlobalInterceptor
@ApplicationScoped
public class ConnectCall implements ClientInterceptor {

    private static final String CONNECT = AgentServiceGrpc.getConnectMethod().getFullMethodName();

    private volatile ClientCall<?, ?> call;

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ClientCall<Q, R> created = next.newCall(method, options);
        if (method.getFullMethodName().equals(CONNECT)) {
            call = created;
        }
        return created;
    }

    /** Whether the latest call is open and its outgoing buffer is below gRPC's threshold (32 KiB). */
    boolean isReady() {
        ClientCall<?, ?> current = call;
        return current != null && current.isReady();
    }

    /**
     * Ends the latest call (nothing happens when it has ended already): its stream then fails with
     * CANCELLED and this reason, through the stub, as a broken stream does.
     */
    void cancel(String reason, Throwable cause) {
        ClientCall<?, ?> current = call;
        if (current != null) {
            current.cancel(reason, cause);
        }
    }
}
