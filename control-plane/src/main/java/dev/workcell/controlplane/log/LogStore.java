package dev.workcell.controlplane.log;

import dev.workcell.proto.v1.LogChunk;
import dev.workcell.proto.v1.LogStream;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** The action_logs table: attempts' output as their agents streamed it, in arrival order. */
@ApplicationScoped
public class LogStore {

    /** Rows read at most per query, so that a reader's memory stays bounded. */
    static final int PAGE = 256;

    private final Pool pool;

    public LogStore(Pool pool) {
        this.pool = pool;
    }

    /** A stored chunk and its place in arrival order. */
    public record StoredChunk(long seq, LogChunk chunk) {}

    /**
     * Stores a chunk if one of these workers holds that attempt now; a chunk stored before (same
     * offset) is ignored. Returns whether the attempt was held.
     */
    public Uni<Boolean> append(LogChunk chunk, List<String> workerIds) {
        return pool.preparedQuery("""
                        WITH held AS (
                            SELECT id FROM actions WHERE id = $1 AND attempt = $2 AND worker_id = ANY($6)
                              AND status IN ('DISPATCHED', 'RUNNING'))
                        INSERT INTO action_logs (action_id, attempt, stream, "offset", data)
                        SELECT $1, $2, $3, $4, $5 FROM held
                        ON CONFLICT DO NOTHING
                        RETURNING 1""")
                .execute(Tuple.tuple()
                        .addString(chunk.getActionId())
                        .addInteger(chunk.getAttempt())
                        .addString(chunk.getStream().name())
                        .addLong(chunk.getOffset())
                        .addBuffer(Buffer.buffer(chunk.getData().toByteArray()))
                        .addArrayOfString(workerIds.toArray(String[]::new)))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Up to {@link #PAGE} chunks of an attempt stored after {@code afterSeq}, in arrival order. */
    public Uni<List<StoredChunk>> after(String actionId, int attempt, long afterSeq) {
        return pool.preparedQuery("""
                        SELECT seq, stream, "offset", data FROM action_logs
                        WHERE action_id = $1 AND attempt = $2 AND seq > $3 ORDER BY seq LIMIT $4""")
                .execute(Tuple.of(actionId, attempt, afterSeq, PAGE))
                .map(rows -> {
                    List<StoredChunk> chunks = new ArrayList<>();
                    rows.forEach(row -> chunks.add(new StoredChunk(
                            row.getLong("seq"),
                            LogChunk.newBuilder()
                                    .setActionId(actionId)
                                    .setAttempt(attempt)
                                    .setStream(LogStream.valueOf(row.getString("stream")))
                                    .setOffset(row.getLong("offset"))
                                    .setData(com.google.protobuf.ByteString.copyFrom(
                                            row.getBuffer("data").getBytes()))
                                    .build())));
                    return chunks;
                });
    }
}
