package dev.workcell.agent.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveLogsTest {

    private static final Duration DRAIN = Duration.ofSeconds(2);

    private static final int QUEUE = 64;

    private final RecordingSink sink = new RecordingSink();
    private final LiveLogs logs = new LiveLogs(sink, QUEUE);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler warningCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            warnings.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureWarnings() {
        Logger.getLogger("dev.workcell.agent.log").addHandler(warningCapture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("dev.workcell.agent.log").removeHandler(warningCapture);
        logs.close();
    }

    @Test
    void shouldCutOutputIntoOrderedChunksOfAtMost16KiBWithTheirOffsets() throws Exception {
        AttemptLog log = logs.open("a1", 2);
        byte[] output = new byte[100_000];
        new Random(7).nextBytes(output);

        for (int i = 0, piece = 1; i < output.length; i += piece, piece = piece * 3 % 9001 + 1) {
            log.stdout()
                    .append(
                            java.util.Arrays.copyOfRange(output, i, Math.min(output.length, i + piece)),
                            Math.min(piece, output.length - i));
        }
        log.stderr().append("oops\n".getBytes(), 5);
        log.close(DRAIN);

        List<LogChunk> stdout = sink.chunks().stream()
                .filter(chunk -> chunk.getStream() == LogStream.STDOUT)
                .toList();
        assertArrayEquals(output, concatenated(stdout));
        long offset = 0;
        for (LogChunk chunk : stdout) {
            assertEquals("a1", chunk.getActionId());
            assertEquals(2, chunk.getAttempt());
            assertEquals(offset, chunk.getOffset());
            assertTrue(
                    chunk.getData().size() <= LiveLog.CHUNK_BYTES,
                    chunk.getData().size() + " bytes");
            offset += chunk.getData().size();
        }
        LogChunk stderr = sink.chunks().stream()
                .filter(chunk -> chunk.getStream() == LogStream.STDERR)
                .findFirst()
                .orElseThrow();
        assertEquals(0, stderr.getOffset());
        assertEquals("oops\n", stderr.getData().toStringUtf8());
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldSendWhatIsBufferedWithinTheFlushIntervalWhileTheProcessRuns() throws Exception {
        AttemptLog log = logs.open("a1", 1);

        log.stdout().append("progress 10%\n".getBytes(), 13);

        long deadline =
                System.nanoTime() + LiveLogs.FLUSH_INTERVAL.multipliedBy(3).toNanos();
        while (sink.chunks().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(
                List.of("progress 10%\n"),
                sink.chunks().stream()
                        .map(chunk -> chunk.getData().toStringUtf8())
                        .toList());
        log.close(DRAIN);
    }

    @Test
    void shouldDropChunksBeyondTheQueueWhileTheStreamIsBlockedAndSaySoOnce() throws Exception {
        sink.ready(false);
        AttemptLog log = logs.open("flood", 1);
        byte[] block = new byte[LiveLog.CHUNK_BYTES];

        for (int i = 0; i < 10 * QUEUE; i++) {
            log.stdout().append(block, block.length);
        }
        sink.ready(true);
        log.close(DRAIN);

        List<LogChunk> sent = sink.chunks();
        assertTrue(
                sent.size() <= QUEUE + 1,
                sent.size() + " chunks were kept for a queue of " + QUEUE + " (and one in the sender's hand)");
        assertEquals(0, sent.get(0).getOffset());
        for (int i = 1; i < sent.size(); i++) {
            assertTrue(sent.get(i).getOffset() > sent.get(i - 1).getOffset(), "chunks out of order");
        }
        assertEquals(
                1,
                warnings.stream()
                        .filter(line -> line.contains("live log of attempt flood#1: dropping output"))
                        .count(),
                warnings.toString());
    }

    @Test
    void shouldSendNothingMoreOfADiscardedLog() throws Exception {
        sink.ready(false);
        AttemptLog log = logs.open("cancelled", 1);
        log.stdout().append("tick\n".getBytes(), 5);
        Thread.sleep(LiveLogs.FLUSH_INTERVAL.multipliedBy(2).toMillis());

        log.discard();
        sink.ready(true);
        log.stdout().append("tock\n".getBytes(), 5);
        Thread.sleep(LiveLogs.FLUSH_INTERVAL.multipliedBy(2).toMillis());

        assertEquals(List.of(), sink.chunks());
    }

    private static byte[] concatenated(List<LogChunk> chunks) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        chunks.forEach(chunk -> bytes.writeBytes(chunk.getData().toByteArray()));
        return bytes.toByteArray();
    }
}
