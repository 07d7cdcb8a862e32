package dev.workcell.controlplane.artifact;

import dev.workcell.controlplane.errors.ConflictException;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.proto.v1.Artifact;
import dev.workcell.proto.v1.ArtifactStatus;
import dev.workcell.proto.v1.UploadHeader;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Artifacts in PostgreSQL: a row per artifact and its bytes as ordered chunks. Chosen over a
 * directory because every control-plane replica shares the database (no shared volume needed)
 * and an upload's progress commits with its bytes, which makes resuming exact. Suited to traces,
 * reports and videos of up to a few GiB; bigger blobs would want object storage behind this interface.
 */
@ApplicationScoped
public class PostgresArtifactStore implements ArtifactStore {

    /** Chunks read per query when verifying or downloading. */
    static final int CHUNKS_PER_READ = 8;

    private final Pool pool;

    public PostgresArtifactStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Optional<ArtifactStatus>> status(String sha256) {
        return pool.preparedQuery("SELECT * FROM artifacts WHERE sha256 = $1")
                .execute(Tuple.of(sha256))
                .map(rows -> first(rows).map(PostgresArtifactStore::status));
    }

    @Override
    public Uni<ArtifactStatus> begin(UploadHeader header) {
        return pool.preparedQuery("""
                        INSERT INTO artifacts (sha256, size, name, content_type) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (sha256) DO NOTHING""")
                .execute(Tuple.of(header.getSha256(), header.getSize(), header.getName(), header.getContentType()))
                .chain(() -> status(header.getSha256()))
                .map(Optional::orElseThrow)
                .invoke(status -> {
                    if (status.getSize() != header.getSize()) {
                        throw new ConflictException("artifact " + header.getSha256() + " was started with size "
                                + status.getSize() + ", not " + header.getSize());
                    }
                });
    }

    @Override
    public Uni<ArtifactStatus> append(String sha256, long offset, byte[] data) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery("""
                                UPDATE artifacts SET received = received + $3
                                WHERE sha256 = $1 AND received = $2 AND NOT complete AND received + $3 <= size
                                RETURNING *""")
                        .execute(Tuple.of(sha256, offset, (long) data.length))
                        .chain(rows -> {
                            Optional<ArtifactStatus> advanced = first(rows).map(PostgresArtifactStore::status);
                            return advanced.isEmpty()
                                    ? Uni.createFrom().item(advanced)
                                    : connection
                                            .preparedQuery(
                                                    "INSERT INTO artifact_chunks (sha256, \"offset\", data) VALUES ($1, $2, $3)")
                                            .execute(Tuple.tuple()
                                                    .addString(sha256)
                                                    .addLong(offset)
                                                    .addBuffer(Buffer.buffer(data)))
                                            .replaceWith(advanced);
                        }))
                .chain(advanced -> advanced.isPresent()
                        ? Uni.createFrom().item(advanced.get())
                        : refusal(sha256, offset, data.length))
                .chain(status -> status.getReceived() == status.getSize()
                        ? verify(status)
                        : Uni.createFrom().item(status));
    }

    @Override
    public Uni<Optional<Artifact>> find(String sha256) {
        return pool.preparedQuery("SELECT * FROM artifacts WHERE sha256 = $1 AND complete")
                .execute(Tuple.of(sha256))
                .map(rows -> first(rows).map(PostgresArtifactStore::artifact));
    }

    @Override
    public Multi<byte[]> read(String sha256, long offset) {
        long[] position = {offset};
        return Multi.createBy()
                .repeating()
                .uni(() -> chunksFrom(sha256, position[0]).map(chunks -> slice(chunks, position)))
                .until(List::isEmpty)
                .onItem()
                .transformToIterable(chunks -> chunks);
    }

    private Uni<ArtifactStatus> refusal(String sha256, long offset, int length) {
        return status(sha256).map(found -> {
            ArtifactStatus status = found.orElseThrow(() -> new InvalidRequestException(
                    "chunk", "no upload of " + sha256 + " was started: send a header first"));
            if (status.getComplete()) {
                throw new ConflictException("artifact " + sha256 + " is already complete");
            }
            if (status.getReceived() != offset) {
                throw new ConflictException("chunk at offset " + offset + " but " + status.getReceived() + " bytes of "
                        + sha256 + " are held: resume from " + status.getReceived());
            }
            throw new InvalidRequestException(
                    "chunk",
                    "offset " + offset + " + " + length + " bytes is past the declared size " + status.getSize());
        });
    }

    /** Hashes the stored bytes; completes the artifact on a match, discards it otherwise. */
    private Uni<ArtifactStatus> verify(ArtifactStatus status) {
        MessageDigest digest = sha256();
        return read(status.getSha256(), 0)
                .invoke(digest::update)
                .collect()
                .last()
                .chain(() -> {
                    String actual = HexFormat.of().formatHex(digest.digest());
                    if (actual.equals(status.getSha256())) {
                        return pool.preparedQuery(
                                        "UPDATE artifacts SET complete = true, completed_at = now() WHERE sha256 = $1")
                                .execute(Tuple.of(status.getSha256()))
                                .replaceWith(
                                        status.toBuilder().setComplete(true).build());
                    }
                    Log.warnf("artifact %s: content has SHA-256 %s; discarded", status.getSha256(), actual);
                    return pool.preparedQuery("DELETE FROM artifacts WHERE sha256 = $1")
                            .execute(Tuple.of(status.getSha256()))
                            .chain(() -> Uni.createFrom()
                                    .failure(new ContentMismatchException("content of artifact " + status.getSha256()
                                            + " has SHA-256 " + actual + "; it was discarded, upload it again")));
                });
    }

    private Uni<RowSet<Row>> chunksFrom(String sha256, long offset) {
        return pool.preparedQuery("""
                        SELECT "offset", data FROM artifact_chunks
                        WHERE sha256 = $1 AND "offset" + length(data) > $2 ORDER BY "offset" LIMIT $3""").execute(Tuple.of(sha256, offset, CHUNKS_PER_READ));
    }

    /** The chunks' bytes from the position on; moves the position past them. */
    private static List<byte[]> slice(RowSet<Row> rows, long[] position) {
        List<byte[]> slices = new java.util.ArrayList<>();
        for (Row row : rows) {
            byte[] data = row.getBuffer("data").getBytes();
            long start = row.getLong("offset");
            int from = (int) Math.max(0, position[0] - start);
            slices.add(from == 0 ? data : Arrays.copyOfRange(data, from, data.length));
            position[0] = start + data.length;
        }
        return slices;
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
    }

    private static ArtifactStatus status(Row row) {
        return ArtifactStatus.newBuilder()
                .setSha256(row.getString("sha256"))
                .setSize(row.getLong("size"))
                .setReceived(row.getLong("received"))
                .setComplete(row.getBoolean("complete"))
                .build();
    }

    private static Artifact artifact(Row row) {
        return Artifact.newBuilder()
                .setSha256(row.getString("sha256"))
                .setName(row.getString("name"))
                .setSize(row.getLong("size"))
                .setContentType(row.getString("content_type"))
                .build();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
