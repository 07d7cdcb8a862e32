package dev.workcell.controlplane.worker;

import dev.workcell.proto.v1.AgentServiceGrpc;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cancels an agent stream as soon as its TCP connection closes (e.g. the agent was SIGKILLed).
 * With gRPC on the HTTP server, Vert.x does not cancel a stream whose connection is gone (quarkus
 * issue 46986), so the connection's close is watched here and each Connect call on it is cancelled,
 * which ends the session as any broken stream does. Calls and connections meet by the agent's address.
 */
@ApplicationScoped
public class ClosedConnections implements ServerInterceptor {

    static final String CONNECT_PATH = "/" + AgentServiceGrpc.getConnectMethod().getFullMethodName();
    static final int ROUTE_ORDER = -1000;

    /** The cancel actions of the open Connect calls, by the address of the agent's end of the connection. */
    private final Map<String, Set<Runnable>> callsByPeer = new ConcurrentHashMap<>();

    void install(@Observes Router router) {
        router.route(CONNECT_PATH).order(ROUTE_ORDER).handler(this::watch);
    }

    private void watch(RoutingContext context) {
        HttpConnection connection = context.request().connection();
        String peer = key(connection.remoteAddress());
        // ConnectionBase's close future takes any number of listeners; closeHandler would replace Quarkus' own.
        if (connection instanceof ConnectionBase base
                && callsByPeer.putIfAbsent(peer, ConcurrentHashMap.newKeySet()) == null) {
            base.closeFuture().onComplete(closed -> cancelAll(peer));
        }
        context.next();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        boolean connect = call.getMethodDescriptor()
                .getFullMethodName()
                .equals(AgentServiceGrpc.getConnectMethod().getFullMethodName());
        Set<Runnable> calls =
                connect && remote instanceof InetSocketAddress address ? callsByPeer.get(key(address)) : null;
        if (calls == null) {
            return listener;
        }
        Runnable cancel = listener::onCancel;
        calls.add(cancel);
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                calls.remove(cancel);
                super.onComplete();
            }

            @Override
            public void onCancel() {
                calls.remove(cancel);
                super.onCancel();
            }
        };
    }

    private void cancelAll(String peer) {
        Set<Runnable> calls = callsByPeer.remove(peer);
        if (calls != null && !calls.isEmpty()) {
            Log.infof("connection of agent %s closed; cancelling its %d stream(s)", peer, calls.size());
            calls.forEach(Runnable::run);
        }
    }

    private static String key(io.vertx.core.net.SocketAddress address) {
        return address.hostAddress() + ":" + address.port();
    }

    private static String key(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
