package dev.workcell.controlplane.api;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A call that takes one request but ends without one it could read (bytes that are not a valid
 * protobuf message are dropped while decoding) is the client's error: INVALID_ARGUMENT, where
 * gRPC would answer INTERNAL ("Half-closed without a request").
 */
@GlobalInterceptor
@ApplicationScoped
public class UnreadableRequests implements ServerInterceptor {

    static final Status UNREADABLE = Status.INVALID_ARGUMENT.withDescription(
            "the request is missing or is not a valid protobuf message of the method's request type");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        MethodType type = call.getMethodDescriptor().getType();
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        if (type != MethodType.UNARY && type != MethodType.SERVER_STREAMING) {
            return listener;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            private boolean received;

            @Override
            public void onMessage(Q message) {
                received = true;
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (received) {
                    super.onHalfClose();
                } else {
                    call.close(UNREADABLE, new Metadata());
                }
            }
        };
    }
}
