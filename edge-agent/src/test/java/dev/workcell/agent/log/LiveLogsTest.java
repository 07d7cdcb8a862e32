package dev.workcell.agent.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    void cutsOutputIntoOrderedChunksOfAtMost16KiBWithTheirOffsets() throws Exception {
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
        assertThat(concatenated(stdout)).isEqualTo(output);
        long offset = 0;
        for (LogChunk chunk : stdout) {
            assertThat(chunk.getActionId()).isEqualTo("a1");
            assertThat(chunk.getAttempt()).isEqualTo(2);
            assertThat(chunk.getOffset()).isEqualTo(offset);
            assertThat(chunk.getData().size() <= LiveLog.CHUNK_BYTES)
                    .as(chunk.getData().size() + " bytes")
                    .isTrue();
            offset += chunk.getData().size();
        }
        LogChunk stderr = sink.chunks().stream()
                .filter(chunk -> chunk.getStream() == LogStream.STDERR)
                .findFirst()
                .orElseThrow();
        assertThat(stderr.getOffset()).isEqualTo(0);
        assertThat(stderr.getData().toStringUtf8()).isEqualTo("oops\n");
        assertThat(warnings).isEqualTo(List.of());
    }

    @Test
    void sendsWhatIsBufferedWithinTheFlushIntervalWhileTheProcessRuns() throws Exception {
        AttemptLog log = logs.open("a1", 1);

        log.stdout().append("progress 10%\n".getBytes(), 13);

        await().atMost(LiveLogs.FLUSH_INTERVAL.multipliedBy(3))
                .until(() -> !sink.chunks().isEmpty());
        assertThat(sink.chunks().stream()
                        .map(chunk -> chunk.getData().toStringUtf8())
                        .toList())
                .isEqualTo(List.of("progress 10%\n"));
        log.close(DRAIN);
    }

    @Test
    void dropsChunksBeyondTheQueueWhileTheStreamIsBlockedAndSaysSoOnce() throws Exception {
        sink.ready(false);
        AttemptLog log = logs.open("flood", 1);
        byte[] block = new byte[LiveLog.CHUNK_BYTES];

        for (int i = 0; i < 10 * QUEUE; i++) {
            log.stdout().append(block, block.length);
        }
        sink.ready(true);
        log.close(DRAIN);

        List<LogChunk> sent = sink.chunks();
        assertThat(sent.size() <= QUEUE + 1)
                .as(sent.size() + " chunks were kept for a queue of " + QUEUE + " (and one in the sender's hand)")
                .isTrue();
        assertThat(sent.get(0).getOffset()).isEqualTo(0);
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i).getOffset() > sent.get(i - 1).getOffset())
                    .as("chunks out of order")
                    .isTrue();
        }
        assertThat(warnings.stream()
                        .filter(line -> line.contains("live log of attempt flood#1: dropping output"))
                        .count())
                .as(warnings.toString())
                .isEqualTo(1);
    }

    @Test
    void sendsNothingMoreOfADiscardedLog() throws Exception {
        sink.ready(false);
        AttemptLog log = logs.open("cancelled", 1);
        log.stdout().append("tick\n".getBytes(), 5);
        Thread.sleep(LiveLogs.FLUSH_INTERVAL.multipliedBy(2).toMillis());

        log.discard();
        sink.ready(true);
        log.stdout().append("tock\n".getBytes(), 5);
        Thread.sleep(LiveLogs.FLUSH_INTERVAL.multipliedBy(2).toMillis());

        assertThat(sink.chunks()).isEqualTo(List.of());
    }

    private static byte[] concatenated(List<LogChunk> chunks) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        chunks.forEach(chunk -> bytes.writeBytes(chunk.getData().toByteArray()));
        return bytes.toByteArray();
    }
}
