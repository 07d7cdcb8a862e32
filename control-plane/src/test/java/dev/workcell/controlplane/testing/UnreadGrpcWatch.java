package dev.workcell.controlplane.testing;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.WatchActionsRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC Watch whose client asks for no message (gRPC flow control: no request(n)), like a
 * consumer that hung: its HTTP/2 window fills and the control plane has to hold or drop the rest.
 */
public final class UnreadGrpcWatch implements AutoCloseable {

    private final ManagedChannel channel;
    private final ClientCall<WatchActionsRequest, Action> call;
    private final AtomicInteger received = new AtomicInteger();
    private final CompletableFuture<Status> ended = new CompletableFuture<>();

    public UnreadGrpcWatch(int port) {
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        call = channel.newCall(ActionServiceGrpc.getWatchMethod(), CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(Action message) {
                received.incrementAndGet();
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                ended.complete(status);
            }
        }, TestCredentials.headers(TestCredentials.ADMIN));
        call.sendMessage(WatchActionsRequest.getDefaultInstance());
        call.halfClose();
    }

    /** Starts reading at last: how the stream ended, once all the server still held was read; empty if it goes on. */
    public Optional<Status> drain(Duration timeout) throws InterruptedException, ExecutionException {
        call.request(Integer.MAX_VALUE);
        try {
            return Optional.of(ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException stillOpen) {
            return Optional.empty();
        }
    }

    /** Changes read so far. */
    public int received() {
        return received.get();
    }

    @Override
    public void close() {
        call.cancel("test over", null);
        channel.shutdownNow();
    }
}
