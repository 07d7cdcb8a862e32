package dev.workcell.bench;

import java.time.Duration;
import java.util.List;

/** What to run and how big: the command-line flags of the benchmarks, with the sizes of issue 4 as defaults. */
public record BenchOptions(
        String host,
        int port,
        int actions,
        int repeat,
        int preload,
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
        List<String> benchmarks,
        int agents,
        int agentsPerChannel,
        int connectConcurrency,
        Duration idle,
        Duration warmup,
        long cpPid,
        long pgPid,
        int port2,
        long killPid,
        int killAfter,
        int devices,
        int devicesPerAgent,
        int backlog,

        int batchSize) {

    static final List<String> ALL = List.of("throughput", "latency", "agents", "recovery", "dimensions");

    static final String USAGE = """
            usage: WORKCELL_TOKEN=<submitter token> WORKCELL_AGENT_ENROLLMENT_TOKEN=<reusable enrollment token> \\
                   java -jar workcell-bench.jar [flags]      (bench/run.sh creates both)
              --host H --port P        control plane (localhost 8080)
              --actions N              throughput, recovery: EXEC actions to run (20000)
              --repeat R               throughput: measured repetitions after the warm-up, each with its own
                                       pgbench baseline and fresh statistics (3)
              --preload N              throughput: finished actions written into the ledger with SQL first,
                                       as in a long-lived farm (0; needs --pg)
              --batch-size B           throughput: each repetition also submits its actions in batch submits of
                                       B items (SubmitBatch) after the single submits (100; 0: single only)
              --targets T              simulated target devices (500)
              --targets-per-agent K    targets per simulated agent stream (10)
              --clients C              concurrent submitters, and pgbench clients (16)
              --rate R                 latency, agents: submits per second, open loop (200)
              --duration D             latency, agents: seconds of load (30)
              --no-running             simulated agents answer SUCCEEDED only, no RUNNING first
              --pg host:port/db        database of the pgbench baseline and the recovery ledger check (none)
              --pg-user U --pg-password W   its credentials (workcell/workcell)
              --pgbench-seconds S      pgbench -T (10)
              --only throughput|latency|agents|recovery|dimensions   one benchmark (default: throughput and latency)
            3. agents: the fleet above as baseline, then N more agents of one target each
              --agents N               agents connected at once (10000)
              --agents-per-channel K   agent streams per TCP connection (1, as real agents; K above the
                                       control plane's quarkus.http.limits.max-concurrent-streams, unset:
                                       unlimited, would leave streams waiting for a free slot)
              --connect-concurrency C  Hellos awaiting their Welcome at once while registering (100)
              --idle S                 seconds of the idle window measuring CPU (20)
              --warmup S               seconds of load before the baseline, not counted (20; also in 2. and 4.;
                                       2. and 5. go on by 10 s steps until the control plane's JIT is quiet)
              --cp-pid PID --pg-pid PID   control plane and postmaster, for RSS and CPU from /proc
            4. recovery: benchmark 1 on two replicas, one SIGKILLed under load
              --port2 P                the second replica, on --host (needed)
              --kill-pid PID           its process, SIGKILLed by the bench (needed)
              --kill-after N           after this many submits (actions / 3)
            5. dimensions: submits by dimensions at --rate for --duration to simulated phones of 20 dimensions each,
               then again with a backlog of waiting actions (needs --pg)
              --devices N              simulated phones (10000)
              --devices-per-agent K    phones per simulated agent stream (100)
              --backlog N              actions waiting in the second phase (100000)
            """;

    static BenchOptions parse(String[] args) {
        String host = "localhost";
        int port = 8080;
        int actions = 20_000;
        int repeat = 3;
        int preload = 0;
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
        int agents = 10_000;
        int agentsPerChannel = 1;
        int connectConcurrency = 100;
        int idle = 20;
        int warmup = 20;
        long cpPid = 0;
        long pgPid = 0;
        int port2 = 0;
        long killPid = 0;
        int killAfter = -1;
        int devices = 10_000;
        int devicesPerAgent = 100;
        int backlog = 100_000;
        int batchSize = 100;
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
                case "--repeat" -> repeat = Integer.parseInt(value);
                case "--preload" -> preload = Integer.parseInt(value);
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
                case "--agents" -> agents = Integer.parseInt(value);
                case "--agents-per-channel" -> agentsPerChannel = Integer.parseInt(value);
                case "--connect-concurrency" -> connectConcurrency = Integer.parseInt(value);
                case "--idle" -> idle = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--cp-pid" -> cpPid = Long.parseLong(value);
                case "--pg-pid" -> pgPid = Long.parseLong(value);
                case "--port2" -> port2 = Integer.parseInt(value);
                case "--kill-pid" -> killPid = Long.parseLong(value);
                case "--kill-after" -> killAfter = Integer.parseInt(value);
                case "--devices" -> devices = Integer.parseInt(value);
                case "--devices-per-agent" -> devicesPerAgent = Integer.parseInt(value);
                case "--backlog" -> backlog = Integer.parseInt(value);
                case "--batch-size" -> batchSize = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
            }
        }
        if (only != null && !ALL.contains(only)) {
            throw new IllegalArgumentException("--only " + only + ": expected one of " + ALL);
        }
        if ("recovery".equals(only) && (port2 == 0 || killPid == 0)) {
            throw new IllegalArgumentException("--only recovery needs --port2 and --kill-pid\n" + USAGE);
        }
        if ("dimensions".equals(only) && pg == null) {
            throw new IllegalArgumentException(
                    "--only dimensions writes its backlog into the ledger: it needs --pg\n" + USAGE);
        }
        if (preload > 0 && pg == null) {
            throw new IllegalArgumentException("--preload writes into the ledger: it needs --pg\n" + USAGE);
        }
        return new BenchOptions(
                host,
                port,
                actions,
                repeat,
                preload,
                targets,
                targetsPerAgent,
                clients,
                rate,
                Duration.ofSeconds(duration),
                running,
                pg,
                pgUser,
                pgPassword,
                Duration.ofSeconds(pgbenchSeconds),
                only == null ? List.of("throughput", "latency") : List.of(only),
                agents,
                agentsPerChannel,
                connectConcurrency,
                Duration.ofSeconds(idle),
                Duration.ofSeconds(warmup),
                cpPid,
                pgPid,
                port2,
                killPid,
                killAfter < 0 ? actions / 3 : killAfter,
                devices,
                devicesPerAgent,
                backlog,
                batchSize);
    }

    boolean runs(String benchmark) {
        return benchmarks.contains(benchmark);
    }
}
