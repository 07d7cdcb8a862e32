package dev.workcell.controlplane.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * An SSE client that sends its request and then never reads its socket, like a frozen browser
 * tab; its receive buffer is tiny so that the control plane soon cannot write to it.
 */
public final class UnreadSseStream implements AutoCloseable {

    private static final byte[] EVENT = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket = new Socket();

    public UnreadSseStream(int port, String path) throws IOException {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", port));
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                                + "Authorization: " + TestCredentials.bearer(TestCredentials.ADMIN) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /**
     * Starts reading at last: the number of events the server still delivered before it ended the
     * stream (closed, reset, or sent the last chunk); empty if the stream goes on.
     */
    public OptionalInt drain(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        int events = 0;
        int eventMatched = 0;
        int lastChunkMatched = 0;
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                eventMatched = b == EVENT[eventMatched] ? eventMatched + 1 : (b == EVENT[0] ? 1 : 0);
                if (eventMatched == EVENT.length) {
                    events++;
                    eventMatched = 0;
                }
                lastChunkMatched =
                        b == LAST_CHUNK[lastChunkMatched] ? lastChunkMatched + 1 : (b == LAST_CHUNK[0] ? 1 : 0);
                if (lastChunkMatched == LAST_CHUNK.length) {
                    return OptionalInt.of(events);
                }
            }
            return OptionalInt.of(events);
        } catch (SocketTimeoutException stillOpen) {
            return OptionalInt.empty();
        } catch (SocketException reset) {
            return OptionalInt.of(events);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
