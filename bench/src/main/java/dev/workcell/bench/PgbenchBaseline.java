package dev.workcell.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline of benchmark 1: PostgreSQL's own single-row INSERT rate, measured with pgbench and a
 * custom script on the control plane's server, into a table as wide as the ledger's actions table.
 */
final class PgbenchBaseline {

    /** A table shaped like {@code actions} (V1__ledger.sql), without the foreign key. */
    private static final String TABLE = """
            DROP TABLE IF EXISTS bench_baseline;
            CREATE TABLE bench_baseline (
                seq bigserial NOT NULL UNIQUE, id text PRIMARY KEY, operation text NOT NULL, input bytea NOT NULL,
                input_hash text NOT NULL, host_id text NOT NULL, target_id text NOT NULL, status text NOT NULL,
                attempt integer NOT NULL DEFAULT 1, max_attempts integer NOT NULL, worker_id text, output bytea,
                error text NOT NULL DEFAULT '', failure text NOT NULL DEFAULT '', idempotency_key text UNIQUE,
                cancel_requested boolean NOT NULL DEFAULT false, not_before timestamptz NOT NULL DEFAULT now(),
                lease_expires_at timestamptz, created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(), started_at timestamptz, finished_at timestamptz);
            """;

    private static final String SCRIPT = """
            INSERT INTO bench_baseline (id, operation, input, input_hash, host_id, target_id, status, max_attempts) VALUES (md5(random()::text || clock_timestamp()::text || :client_id), 'EXEC', decode(md5(random()::text) || md5(random()::text), 'hex'), md5(random()::text), 'h9f1c2a4e5b6d7081', 't3e4f5a6b7c8d9e0f', 'QUEUED', 4);
            """;

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    private final BenchOptions options;

    PgbenchBaseline(BenchOptions options) {
        this.options = options;
    }

    /** Inserts per second with as many clients as the benchmark has submitters. */
    double run() throws IOException, InterruptedException {
        Postgres postgres = new Postgres(options);
        Path script = Files.createTempFile("workcell-bench-insert", ".sql");
        try {
            Files.writeString(script, SCRIPT);
            postgres.psql(TABLE);
            String out = postgres.pgbench(List.of(
                    "-n",
                    "-f",
                    script.toString(),
                    "-c",
                    String.valueOf(options.clients()),
                    "-j",
                    "2",
                    "-T",
                    String.valueOf(options.pgbenchDuration().toSeconds())));
            Matcher tps = TPS.matcher(out);
            if (!tps.find()) {
                throw new IOException("pgbench printed no tps:\n" + out);
            }
            postgres.psql("DROP TABLE bench_baseline");
            return Double.parseDouble(tps.group(1));
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
