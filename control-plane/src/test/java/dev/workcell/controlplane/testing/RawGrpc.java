package dev.workcell.controlplane.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One unary gRPC call over plain HTTP/2, with the answer's HTTP status, headers and trailers as
 * the server wrote them (bytes a gRPC library would decode before a test could see them).
 */
public final class RawGrpc {

    private RawGrpc() {}

    /** The HTTP answer: {@code :status}, then every header and trailer (a trailers-only answer has them as headers). */
    public static Map<String, String> call(int port, String method, byte[] message, String bearer) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Buffer frame = Buffer.buffer()
                    .appendByte((byte) 0)
                    .appendInt(message.length)
                    .appendBytes(message);
            return vertx.createHttpClient(new HttpClientOptions()
                            .setProtocolVersion(HttpVersion.HTTP_2)
                            .setHttp2ClearTextUpgrade(false))
                    .request(HttpMethod.POST, port, "localhost", "/" + method)
                    .compose(request -> {
                        request.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
                        if (bearer != null) {
                            request.putHeader("authorization", "Bearer " + bearer);
                        }
                        return request.send(frame);
                    })
                    .compose(response -> response.body().map(body -> {
                        Map<String, String> answer = new TreeMap<>();
                        answer.put(":status", Integer.toString(response.statusCode()));
                        response.headers().forEach(header -> answer.put(header.getKey(), header.getValue()));
                        response.trailers().forEach(trailer -> answer.put(trailer.getKey(), trailer.getValue()));
                        return answer;
                    }))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } finally {
            vertx.close();
        }
    }
}
