package dev.workcell.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        String[] address = options.pgAddress().split("[:/]", 3);
        if (address.length != 3) {
            throw new IllegalArgumentException("--pg " + options.pgAddress() + ": expected host:port/database");
        }
        Path script = Files.createTempFile("workcell-bench-insert", ".sql");
        try {
            Files.writeString(script, SCRIPT);
            exec(List.of("psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", address[0], "-p", address[1], "-U", options.pgUser(),
                    "-d", address[2], "-c", TABLE));
            String out = exec(List.of("pgbench", "-n", "-f", script.toString(), "-c", String.valueOf(options.clients()),
                    "-j", "2", "-T", String.valueOf(options.pgbenchDuration().toSeconds()),
                    "-h", address[0], "-p", address[1], "-U", options.pgUser(), address[2]));
            Matcher tps = TPS.matcher(out);
            if (!tps.find()) {
                throw new IOException("pgbench printed no tps:\n" + out);
            }
            exec(List.of("psql", "-q", "-h", address[0], "-p", address[1], "-U", options.pgUser(), "-d", address[2],
                    "-c", "DROP TABLE bench_baseline"));
            return Double.parseDouble(tps.group(1));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private String exec(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", options.pgPassword());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException(command.get(0) + " exited with " + exit + ":\n" + out);
        }
        return out;
    }
}
