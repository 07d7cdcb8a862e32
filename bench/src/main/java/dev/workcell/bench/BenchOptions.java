package dev.workcell.bench;

import java.time.Duration;

/** What to run and how big: the command-line flags of the benchmarks, with the sizes of issue 4 as defaults. */
public record BenchOptions(
        String host,
        int port,
        int actions,
        int targets,
        int targetsPerAgent,
        int clients,
        int rate,
        Duration latencyDuration,
        boolean sendRunning,
        String pgAddress,
        String pgUser,
        String pgPassword,
        Duration pgbenchDuration,
        boolean throughput,
        boolean latency) {

    static final String USAGE = """
            usage: java -jar workcell-bench.jar [flags]
              --host H --port P        control plane (localhost 8080)
              --actions N              throughput: EXEC actions to run (20000)
              --targets T              simulated target devices (500)
              --targets-per-agent K    targets per simulated agent stream (10)
              --clients C              concurrent submitters, and pgbench clients (16)
              --rate R                 latency: submits per second, open loop (200)
              --duration D             latency: seconds of load (30)
              --no-running             simulated agents answer SUCCEEDED only, no RUNNING first
              --pg host:port/db        database of the pgbench baseline (none: no baseline)
              --pg-user U --pg-password W   its credentials (workcell/workcell)
              --pgbench-seconds S      pgbench -T (10)
              --only throughput|latency
            """;

    static BenchOptions parse(String[] args) {
        String host = "localhost";
        int port = 8080;
        int actions = 20_000;
        int targets = 500;
        int targetsPerAgent = 10;
        int clients = 16;
        int rate = 200;
        int duration = 30;
        boolean running = true;
        String pg = null;
        String pgUser = "workcell";
        String pgPassword = "workcell";
        int pgbenchSeconds = 10;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--no-running")) {
                running = false;
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + flag + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (flag) {
                case "--host" -> host = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--actions" -> actions = Integer.parseInt(value);
                case "--targets" -> targets = Integer.parseInt(value);
                case "--targets-per-agent" -> targetsPerAgent = Integer.parseInt(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--duration" -> duration = Integer.parseInt(value);
                case "--pg" -> pg = value;
                case "--pg-user" -> pgUser = value;
                case "--pg-password" -> pgPassword = value;
                case "--pgbench-seconds" -> pgbenchSeconds = Integer.parseInt(value);
                case "--only" -> only = value;
                default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
            }
        }
        if (only != null && !only.equals("throughput") && !only.equals("latency")) {
            throw new IllegalArgumentException("--only " + only + ": expected throughput or latency");
        }
        return new BenchOptions(host, port, actions, targets, targetsPerAgent, clients, rate,
                Duration.ofSeconds(duration), running, pg, pgUser, pgPassword, Duration.ofSeconds(pgbenchSeconds),
                only == null || only.equals("throughput"), only == null || only.equals("latency"));
    }
}
