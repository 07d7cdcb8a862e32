package dev.workcell.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** psql and pgbench against the control plane's database (--pg host:port/database), with its credentials. */
final class Postgres {

    private final String host;
    private final String port;
    private final String database;
    private final String user;
    private final String password;

    Postgres(BenchOptions options) {
        String[] address = options.pgAddress().split("[:/]", 3);
        if (address.length != 3) {
            throw new IllegalArgumentException("--pg " + options.pgAddress() + ": expected host:port/database");
        }
        this.host = address[0];
        this.port = address[1];
        this.database = address[2];
        this.user = options.pgUser();
        this.password = options.pgPassword();
    }

    /** Runs SQL with psql; returns the rows unaligned, fields separated by single spaces. */
    String psql(String sql) throws IOException, InterruptedException {
        return exec(List.of(
                "psql",
                "-q",
                "-At",
                "-F",
                " ",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                host,
                "-p",
                port,
                "-U",
                user,
                "-d",
                database,
                "-c",
                sql));
    }

    /** Runs pgbench with these options; returns what it printed. */
    String pgbench(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("pgbench"));
        command.addAll(options);
        command.addAll(List.of("-h", host, "-p", port, "-U", user, database));
        return exec(command);
    }

    private String exec(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException(command.get(0) + " exited with " + exit + ":\n" + out);
        }
        return out;
    }
}
