#!/usr/bin/env bash
# bench/run.sh [bench flags]: the benchmarks on this machine: 1 (throughput, 3 repetitions each with its
# pgbench baseline), 2 (dispatch latency), 3 (10,000 connected agents), 4 (recovery from a
# SIGKILLed replica) and 5 (submits by dimensions to 10,000 phones, with and without a backlog). Starts a throwaway PostgreSQL 15 (.ci/pg-up.sh) and the packaged control
# plane on it, runs bench/target/workcell-bench.jar with simulated agents on the real gRPC
# protocol, prints the figures, and stops everything. Flags go to the bench jar, e.g.
#   bench/run.sh --actions 2000 --targets 100 --duration 10     (shrunk sizes; --help lists them)
#   BENCH_ONLY=agents bench/run.sh                               (benchmark 3 alone)
#   BENCH_ONLY=recovery bench/run.sh                             (benchmark 4 alone)
#   BENCH_ONLY=dimensions bench/run.sh                           (benchmark 5 alone: submits by dimensions)
#   BENCH_ONLY="throughput latency agents recovery dimensions" bench/run.sh (all five)
# Benchmarks 1 and 2 share one control plane. Benchmarks 3 and 5 each get a control plane of their own started
# with -Xmx1g (after BENCH_CP_OPTS, so that it wins); its 10,000 agents hold 10,000 sockets in the
# bench JVM and as many in the control plane. Benchmark 4 gets two replicas on the same database
# (ports BENCH_HTTP_PORT and BENCH_HTTP_PORT2); the bench jar SIGKILLs the second one itself.
# Environment: BENCH_PG_PORT (55490), BENCH_HTTP_PORT (18480), BENCH_HTTP_PORT2 (BENCH_HTTP_PORT+1),
# BENCH_BUILD=1 to build first, BENCH_PG_STATS=1 for pg_stat_statements' top statements, row writes (HOT) and WAL per
# action at the end, BENCH_EXPLAIN=1 for the plans PostgreSQL ran for the hot statements (auto_explain), BENCH_JFR=1 for where the
# control plane's CPU went during each benchmark (a JFR recording of execution samples, bench/jfr-top.sh; BENCH_JFR_KEEP=DIR keeps
# the recordings), BENCH_PG_SLOW=MS for PostgreSQL's statements slower than MS, its checkpoints and autovacuum runs, with their
# times (to set beside benchmark 5's slow seconds), BENCH_CP_OPTS (JVM options of the control planes), BENCH_ONLY
# ("throughput latency" by default: which to run, in that order). Each control plane's health and
# metrics answer on its port + 1000 (e.g. http://127.0.0.1:19480/q/metrics).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PG_PORT=${BENCH_PG_PORT:-55490}
HTTP_PORT=${BENCH_HTTP_PORT:-18480}
HTTP_PORT2=${BENCH_HTTP_PORT2:-$((HTTP_PORT + 1))}
WORK=$(mktemp -d /tmp/workcell-bench.XXXXXX); chmod 755 "$WORK"   # the postgres user reaches its cluster below
ADMIN_TOKEN=wct_bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')   # bootstrap admin of the throwaway database
CP_PIDS=()      # the control planes running now
CP_WAITERS=()   # the subshells waiting for them
CP_SETUP=""     # what they were started for: "single", "agents" or "replicas"

stop_cps() {
  for pid in "${CP_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for waiter in "${CP_WAITERS[@]}"; do wait "$waiter" 2>/dev/null || true; done
  CP_PIDS=(); CP_WAITERS=(); CP_SETUP=""
}
stop() {
  stop_cps
  "$ROOT/.ci/pg-down.sh" "$WORK/pg"
  rm -rf "$WORK"
}
trap stop EXIT

# start_cp PORT LOG [JVM options]: a control plane on the throwaway PostgreSQL; returns once it answers.
# Its per-credential rate limit is lifted: the benchmarks measure capacity, with one token for all clients.
# It runs under a subshell that waits for it, so that bash's "Killed" notice of benchmark 4 goes to its log.
start_cp() {
  local port=$1 log=$2; shift 2
  ( WORKCELL_DB="127.0.0.1:$PG_PORT/workcell" WORKCELL_DB_USER=workcell WORKCELL_DB_PASSWORD=workcell \
    WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN="$ADMIN_TOKEN" WORKCELL_PLAINTEXT=enabled \
    WORKCELL_LIMITS_REQUESTS_PER_SECOND=1000000 WORKCELL_LIMITS_REQUEST_BURST=1000000 \
    QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT=$((port + 1000)) QUARKUS_LOG_CATEGORY__DEV_WORKCELL__LEVEL=WARN \
      java "$@" -jar "$ROOT/control-plane/target/quarkus-app/quarkus-run.jar" &
    echo $! >"$log.pid"; wait $! ) >"$log" 2>&1 &
  CP_WAITERS+=($!)
  until [ -s "$log.pid" ]; do sleep 0.05; done
  local pid; pid=$(cat "$log.pid")
  CP_PIDS+=("$pid")
  for _ in $(seq 1 600); do
    curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$port/api/v1/workers" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "control plane died:"; tail -50 "$log"; exit 1; }
    sleep 0.1
  done
  echo "control plane up on 127.0.0.1:$port (pid $pid, JVM options: ${*:-none}; PostgreSQL 127.0.0.1:$PG_PORT)"
  [ -n "${WORKCELL_TOKEN:-}" ] || create_tokens "$port"
}

# create_tokens PORT: what the bench jar authenticates with: a submitter token for its clients and
# a reusable enrollment token with which each simulated agent gets its own credential.
create_tokens() {
  secret_of() { sed -n 's/.*"secret":"\([^"]*\)".*/\1/p'; }
  WORKCELL_TOKEN=$(curl -sS -X POST "http://127.0.0.1:$1/api/v1/tokens" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d '{"name": "bench", "role": "submitter"}' | secret_of)
  WORKCELL_AGENT_ENROLLMENT_TOKEN=$(curl -sS -X POST "http://127.0.0.1:$1/api/v1/enrollment-tokens" \
    -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d '{"pool": "bench", "reusable": true, "expiresInSeconds": 86400}' | secret_of)
  [ -n "$WORKCELL_TOKEN" ] && [ -n "$WORKCELL_AGENT_ENROLLMENT_TOKEN" ] || { echo "could not create the bench's tokens"; exit 1; }
  export WORKCELL_TOKEN WORKCELL_AGENT_ENROLLMENT_TOKEN
}

# setup_for BENCH: the control planes the benchmark needs, restarted only when they change.
setup_for() {
  local want=single
  case $1 in agents|dimensions) want=$1 ;; recovery) want=replicas ;; esac
  [ "$want" = "$CP_SETUP" ] && return
  stop_cps
  # shellcheck disable=SC2086 # BENCH_CP_OPTS holds several options
  case $want in
    single) start_cp "$HTTP_PORT" "$WORK/cp-$1.log" ${BENCH_CP_OPTS:-} ;;
    agents|dimensions) start_cp "$HTTP_PORT" "$WORK/cp-$1.log" ${BENCH_CP_OPTS:-} -Xmx1g ;;
    replicas) start_cp "$HTTP_PORT" "$WORK/cp-$1-A.log" ${BENCH_CP_OPTS:-}
              start_cp "$HTTP_PORT2" "$WORK/cp-$1-B.log" ${BENCH_CP_OPTS:-} ;;
  esac
  CP_SETUP=$want
}

if [ "${BENCH_BUILD:-0}" = 1 ] || [ ! -f "$ROOT/bench/target/workcell-bench.jar" ] \
   || [ ! -f "$ROOT/control-plane/target/quarkus-app/quarkus-run.jar" ]; then
  (cd "$ROOT" && mvn -B -q package -DskipTests)
fi

"$ROOT/.ci/pg-up.sh" "$WORK/pg" "$PG_PORT"
# BENCH_PG_STATS=1: pg_stat_statements loaded (a restart), and its top statements printed at the end.
pg_psql() { runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -h "$WORK/pg" -p "$PG_PORT" -U postgres "$@"; }
# BENCH_EXPLAIN=1: auto_explain logs the plan (with actual rows and buffers) of one statement in 500,
# and the last plan of each hot statement is printed at the end: what PostgreSQL really ran.
if [ "${BENCH_PG_STATS:-0}" = 1 ] || [ "${BENCH_EXPLAIN:-0}" = 1 ]; then
  pg_psql -q -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', 'auto_explain'"
  runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w restart >/dev/null
  pg_psql -q -d workcell -c "CREATE EXTENSION pg_stat_statements" -c "ALTER SYSTEM SET pg_stat_statements.track_planning = on"
  if [ "${BENCH_EXPLAIN:-0}" = 1 ]; then
    pg_psql -q -c "ALTER SYSTEM SET auto_explain.log_min_duration = 0" -c "ALTER SYSTEM SET auto_explain.sample_rate = 0.002" \
      -c "ALTER SYSTEM SET auto_explain.log_analyze = on" -c "ALTER SYSTEM SET auto_explain.log_buffers = on" \
      -c "ALTER SYSTEM SET auto_explain.log_nested_statements = on"
  fi
  pg_psql -q -c "SELECT pg_reload_conf()" >/dev/null
fi
# BENCH_PG_SLOW=MS: statements slower than MS ms, checkpoints and autovacuum runs logged with their time and printed
# at the end, to set beside the seconds in which benchmark 5 saw slow dispatches; with BENCH_EXPLAIN=1, the plan of
# every such statement is logged; BENCH_PG_LOG_KEEP=FILE keeps PostgreSQL's log.
if [ -n "${BENCH_PG_SLOW:-}" ]; then
  pg_psql -q -c "ALTER SYSTEM SET log_min_duration_statement = ${BENCH_PG_SLOW}" -c "ALTER SYSTEM SET log_checkpoints = on" \
    -c "ALTER SYSTEM SET log_autovacuum_min_duration = 0" -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] '" \
    -c "SELECT pg_reload_conf()" >/dev/null
  if [ "${BENCH_EXPLAIN:-0}" = 1 ]; then   # then every slow statement's plan, not one statement in 500
    pg_psql -q -c "ALTER SYSTEM SET auto_explain.log_min_duration = ${BENCH_PG_SLOW}" -c "ALTER SYSTEM SET auto_explain.sample_rate = 1" \
      -c "ALTER SYSTEM SET auto_explain.log_timing = off" -c "SELECT pg_reload_conf()" >/dev/null
  fi
fi
PG_PID=$(head -1 "$WORK/pg/data/postmaster.pid")
echo "$(nproc) cores shared by PostgreSQL, control plane(s) and bench"

# CPU seconds (user+system) of processes, from /proc: where the time of a benchmark goes.
cpu_of() { cat "${@/#//proc/}" 2>/dev/null | awk '{t += $(NF-38) + $(NF-37)} END {printf "%.1f", t / 100}' || echo 0; }
pg_pids() { echo "$PG_PID/stat" $(pgrep -P "$PG_PID" | sed 's|$|/stat|'); }

# BENCH_JFR=1: the first control plane records execution samples (every 2 ms) while each benchmark runs,
# start-up left out; its hottest frames are printed after the benchmark's figures.
jfr_start() {
  [ "${BENCH_JFR:-0}" = 1 ] || return 0
  printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<configuration version="2.0" label="bench">' \
    '  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>' \
    '</configuration>' >"$WORK/samples.jfc"
  jcmd "${CP_PIDS[0]}" JFR.start name=bench settings="$WORK/samples.jfc" >/dev/null
}
jfr_report() {
  [ "${BENCH_JFR:-0}" = 1 ] || return 0
  jcmd "${CP_PIDS[0]}" JFR.stop name=bench filename="$WORK/cp-$1.jfr" >/dev/null 2>&1 || { echo "no JFR recording (the control plane is gone)"; return 0; }
  echo "Where the control plane's CPU went during $1 (JFR execution samples):"
  "$ROOT/bench/jfr-top.sh" "$WORK/cp-$1.jfr" 25
  if [ -n "${BENCH_JFR_KEEP:-}" ]; then cp "$WORK/cp-$1.jfr" "$BENCH_JFR_KEEP/"; fi
}

status=0
for bench in ${BENCH_ONLY:-throughput latency}; do
  setup_for "$bench"
  jfr_start
  extra=(--cp-pid "${CP_PIDS[0]}" --pg-pid "$PG_PID")
  if [ "$bench" = recovery ]; then extra+=(--port2 "$HTTP_PORT2" --kill-pid "${CP_PIDS[1]}"); fi
  cp0=$(cpu_of "${CP_PIDS[0]}/stat"); pg0=$(cpu_of $(pg_pids))
  /usr/bin/time -f "%U %S %e" -o "$WORK/time" java -jar "$ROOT/bench/target/workcell-bench.jar" \
    --host 127.0.0.1 --port "$HTTP_PORT" --pg "127.0.0.1:$PG_PORT/workcell" --pg-user workcell --pg-password workcell \
    "${extra[@]}" "$@" --only "$bench" || status=$?
  cp1=$(cpu_of "${CP_PIDS[0]}/stat"); pg1=$(cpu_of $(pg_pids))
  read -r bu bs wall < <(tail -1 "$WORK/time")   # after "Command exited with non-zero status N", if so
  # Only the first control plane is counted: in benchmark 4 the second one is killed.
  cp_name="control plane"; if [ "$bench" = recovery ]; then cp_name="control plane A (B was killed)"; fi
  awk -v c0="$cp0" -v c1="$cp1" -v p0="$pg0" -v p1="$pg1" -v bu="$bu" -v bs="$bs" -v wall="$wall" -v cores="$(nproc)" -v cp="$cp_name" \
    'BEGIN {printf "CPU of this benchmark run (%.1f s wall, %d cores = %.1f CPU-s): %s %.1f s, PostgreSQL backends of the control plane %.1f s, bench JVM (submitters + simulated agents) %.1f s\n", wall, cores, wall * cores, cp, c1 - c0, p1 - p0, bu + bs}'
  jfr_report "$bench"
  if [ "$bench" = recovery ]; then stop_cps; fi   # the killed replica is gone; the survivor goes too
done
if [ "${BENCH_PG_STATS:-0}" = 1 ]; then
  echo "pg_stat_statements, the 12 statements of the most execution time (all benchmarks of this run):"
  pg_psql -d workcell -P pager=off -c "SELECT calls, round(total_exec_time::numeric) AS total_ms,
      round(mean_exec_time::numeric, 3) AS mean_ms, round((total_plan_time / greatest(plans, 1))::numeric, 3) AS plan_ms,
      plans, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS query
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12"
  echo "Row writes per table (HOT = updates that wrote no index entry), and WAL, per action run (preloaded rows left out):"
  pg_psql -d workcell -P pager=off -c "WITH n AS (SELECT count(*) FILTER (WHERE id NOT LIKE 'preload-%') AS actions FROM actions)
    SELECT relname AS table, n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_hot_upd AS hot, n_tup_del AS deleted,
           round(100.0 * n_tup_hot_upd / greatest(n_tup_upd, 1)) AS hot_pct,
           (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid) AS indexes, n_live_tup AS live_rows
    FROM pg_stat_user_tables t WHERE relname IN ('actions', 'live_actions', 'action_events') ORDER BY relname" \
    -c "SELECT wal_records, pg_size_pretty(wal_bytes) AS wal, round(wal_records::numeric / greatest(n.actions, 1), 1) AS records_per_action,
           round(wal_bytes / greatest(n.actions, 1)) AS bytes_per_action, n.actions
        FROM pg_stat_wal, (SELECT count(*) FILTER (WHERE id NOT LIKE 'preload-%') AS actions FROM actions) n"
fi
if [ -n "${BENCH_PG_SLOW:-}" ]; then
  echo "PostgreSQL's slow statements (over ${BENCH_PG_SLOW} ms), checkpoints and autovacuum runs, by time (UTC):"
  grep -E "duration: |checkpoint (starting|complete)|automatic (vacuum|analyze)" "$WORK/pg/server.log" \
    | sed -E 's/ +/ /g' | cut -c1-240 || echo "none"
  if [ -n "${BENCH_PG_LOG_KEEP:-}" ]; then cp "$WORK/pg/server.log" "$BENCH_PG_LOG_KEEP"; fi
fi
if [ "${BENCH_EXPLAIN:-0}" = 1 ]; then
  "$ROOT/bench/explained-plans.sh" "$WORK/pg/server.log"
fi
for log in "$WORK"/cp-*.log; do
  if grep -qE " (ERROR|WARN) " "$log"; then
    echo "$(basename "$log" .log): warnings/errors (first 10 of $(grep -cE " (ERROR|WARN) " "$log")):"
    grep -E " (ERROR|WARN) " "$log" | head -10
  fi
done
exit $status
