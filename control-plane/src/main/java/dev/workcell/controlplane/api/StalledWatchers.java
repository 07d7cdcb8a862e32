package dev.workcell.controlplane.api;

import dev.workcell.controlplane.action.ActionChanges;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.CampaignServiceGrpc;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ends a gRPC watch whose client stopped reading: ActionService/Watch and CampaignService/WatchGrid.
 * Quarkus requests every item of a streaming method's Multi and writes it at once, whatever the
 * client's HTTP/2 window, so the bounds the watches keep upstream (the per-watcher buffer of
 * {@link ActionChanges}, the grid's untaken changes) never fill and the server would queue every
 * message for such a client. Here the call is closed with RESOURCE_EXHAUSTED once it fell behind by
 * as many messages as that bound allows (for a grid, cells), and later messages are dropped.
 */
@ApplicationScoped
public class StalledWatchers implements ServerInterceptor {

    private static final String WATCH = ActionServiceGrpc.getWatchMethod().getFullMethodName();
    private static final String WATCH_GRID =
            CampaignServiceGrpc.getWatchGridMethod().getFullMethodName();

    private final int gridLimit;

    public StalledWatchers(WorkcellConfig config) {
        this.gridLimit = config.limits().gridWatchMissedChanges();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (method.equals(WATCH)) {
            return next.startCall(
                    new Bounded<>(
                            call,
                            ActionChanges.WATCHER_BUFFER,
                            "the watcher fell " + ActionChanges.WATCHER_BUFFER
                                    + " changes behind and was disconnected; watch again and read the current state with List"),
                    headers);
        }
        if (method.equals(WATCH_GRID)) {
            return next.startCall(
                    new Bounded<>(
                            call,
                            gridLimit,
                            "the grid watcher fell " + gridLimit
                                    + " cells behind and was disconnected; watch again: a watch starts with every cell"),
                    headers);
        }
        return next.startCall(call, headers);
    }

    private static final class Bounded<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        private final int limit;
        private final String cutOff;
        private int sentWhileBlocked;
        private boolean closed;

        Bounded(ServerCall<Q, R> call, int limit, String cutOff) {
            super(call);
            this.limit = limit;
            this.cutOff = cutOff;
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (closed) {
                return;
            }
            sentWhileBlocked = isReady() ? 0 : sentWhileBlocked + 1;
            if (sentWhileBlocked > limit) {
                close(Status.RESOURCE_EXHAUSTED.withDescription(cutOff), new Metadata());
                return;
            }
            super.sendMessage(message);
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }
    }
}
