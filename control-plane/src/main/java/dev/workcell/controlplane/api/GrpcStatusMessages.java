package dev.workcell.controlplane.api;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * Status messages percent-encoded only where the gRPC spec says (bytes outside 0x20–0x7E, and '%'):
 * the Vert.x gRPC server behind Quarkus encodes them as URL query text (every space, comma and
 * colon), which clients that decode per spec show as such. So each call's closing message is put in
 * the trailers here, encoded by the spec, and the status goes on without a description for the
 * server to re-encode. Outermost, so that refusals of the security interceptor pass through it too.
 */
@GlobalInterceptor
@ApplicationScoped
@Priority(Integer.MAX_VALUE)
public class GrpcStatusMessages implements ServerInterceptor {

    static final Metadata.Key<String> MESSAGE = Metadata.Key.of("grpc-message", new SpecEncoding());

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return next.startCall(
                new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        if (status.getDescription() != null && !status.isOk()) {
                            trailers.removeAll(MESSAGE);
                            trailers.put(MESSAGE, status.getDescription());
                            status = Status.fromCode(status.getCode()).withCause(status.getCause());
                        }
                        super.close(status, trailers);
                    }
                },
                headers);
    }

    /** The grpc-message encoding of the gRPC HTTP/2 spec. */
    static final class SpecEncoding implements Metadata.AsciiMarshaller<String> {

        @Override
        public String toAsciiString(String message) {
            StringBuilder encoded = new StringBuilder();
            for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
                if (b >= 0x20 && b <= 0x7e && b != '%') {
                    encoded.append((char) b);
                } else {
                    encoded.append('%').append(String.format("%02X", b & 0xff));
                }
            }
            return encoded.toString();
        }

        @Override
        public String parseAsciiString(String serialized) {
            return serialized;
        }
    }
}
