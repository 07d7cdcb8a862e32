package dev.workcell.controlplane.testing;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionServiceGrpc;
import dev.workcell.proto.v1.WatchActionsRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC watch (a server-streaming call) whose client asks for no message (gRPC flow control: no
 * request(n)), like a consumer that hung: its HTTP/2 window fills and the control plane has to hold
 * or drop the rest.
 */
public final class UnreadGrpcWatch<Q, R> implements AutoCloseable {

    private final ManagedChannel channel;
    private final ClientCall<Q, R> call;
    private final AtomicInteger received = new AtomicInteger();
    private final CompletableFuture<Status> ended = new CompletableFuture<>();

    /** An ActionService/Watch of every change, with a client's usual flow control. */
    public static UnreadGrpcWatch<WatchActionsRequest, Action> actions(int port) {
        return new UnreadGrpcWatch<>(
                ManagedChannelBuilder.forAddress("localhost", port)
                        .usePlaintext()
                        .build(),
                ActionServiceGrpc.getWatchMethod(),
                WatchActionsRequest.getDefaultInstance());
    }

    /**
     * A call of {@code method} whose client lets the server send only {@code window} bytes before it
     * reads: small messages fill it as soon as large ones fill a usual window.
     */
    public static <Q, R> UnreadGrpcWatch<Q, R> withWindow(
            int port, int window, MethodDescriptor<Q, R> method, Q request) {
        return new UnreadGrpcWatch<>(
                NettyChannelBuilder.forAddress("localhost", port)
                        .usePlaintext()
                        .flowControlWindow(window)
                        .build(),
                method,
                request);
    }

    private UnreadGrpcWatch(ManagedChannel channel, MethodDescriptor<Q, R> method, Q request) {
        this.channel = channel;
        call = channel.newCall(method, CallOptions.DEFAULT);
        call.start(
                new ClientCall.Listener<>() {
                    @Override
                    public void onMessage(R message) {
                        received.incrementAndGet();
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        ended.complete(status);
                    }
                },
                TestCredentials.headers(TestCredentials.ADMIN));
        call.sendMessage(request);
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

    /** Messages read so far. */
    public int received() {
        return received.get();
    }

    @Override
    public void close() {
        call.cancel("test over", null);
        channel.shutdownNow();
    }
}
