#!/usr/bin/env bash
# bench/run.sh [bench flags]: benchmarks 1 (throughput, with its pgbench baseline) and 2 (dispatch
# latency) of issue 4 on this machine. Starts a throwaway PostgreSQL 15 (.ci/pg-up.sh) and the
# packaged control plane on it, runs bench/target/workcell-bench.jar with simulated agents on the
# real gRPC protocol, prints the figures, and stops everything. Flags go to the bench jar, e.g.
#   bench/run.sh --actions 2000 --targets 100 --duration 10     (shrunk sizes; --help lists them)
# Environment: BENCH_PG_PORT (55490), BENCH_HTTP_PORT (18480), BENCH_BUILD=1 to build first,
# BENCH_CP_OPTS (JVM options of the control plane), BENCH_ONLY ("throughput latency": which to run).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PG_PORT=${BENCH_PG_PORT:-55490}
HTTP_PORT=${BENCH_HTTP_PORT:-18480}
WORK=$(mktemp -d /tmp/workcell-bench.XXXXXX); chmod 755 "$WORK"   # the postgres user reaches its cluster below
CP_PID=""

stop() {
  [ -n "$CP_PID" ] && kill "$CP_PID" 2>/dev/null && wait "$CP_PID" 2>/dev/null || true
  "$ROOT/.ci/pg-down.sh" "$WORK/pg"
  rm -rf "$WORK"
}
trap stop EXIT

if [ "${BENCH_BUILD:-0}" = 1 ] || [ ! -f "$ROOT/bench/target/workcell-bench.jar" ] \
   || [ ! -f "$ROOT/control-plane/target/quarkus-app/quarkus-run.jar" ]; then
  (cd "$ROOT" && mvn -B -q package -DskipTests)
fi

"$ROOT/.ci/pg-up.sh" "$WORK/pg" "$PG_PORT"

WORKCELL_DB="127.0.0.1:$PG_PORT/workcell" WORKCELL_DB_USER=workcell WORKCELL_DB_PASSWORD=workcell \
QUARKUS_HTTP_PORT="$HTTP_PORT" QUARKUS_LOG_CATEGORY__DEV_WORKCELL__LEVEL=WARN \
  java ${BENCH_CP_OPTS:-} -jar "$ROOT/control-plane/target/quarkus-app/quarkus-run.jar" >"$WORK/control-plane.log" 2>&1 &
CP_PID=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/api/v1/workers" >/dev/null 2>&1 && break
  kill -0 "$CP_PID" 2>/dev/null || { echo "control plane died:"; tail -50 "$WORK/control-plane.log"; exit 1; }
  sleep 0.1
done
echo "control plane up on 127.0.0.1:$HTTP_PORT (PostgreSQL 127.0.0.1:$PG_PORT); $(nproc) cores shared by PostgreSQL, control plane and bench"

# CPU seconds (user+system) of processes, from /proc: where the time of a benchmark goes.
cpu_of() { cat "${@/#//proc/}" 2>/dev/null | awk '{t += $(NF-38) + $(NF-37)} END {printf "%.1f", t / 100}' || echo 0; }
pg_pids() { local pm; pm=$(head -1 "$WORK/pg/data/postmaster.pid"); echo "$pm/stat" $(pgrep -P "$pm" | sed 's|$|/stat|'); }

status=0
for bench in ${BENCH_ONLY:-throughput latency}; do
  cp0=$(cpu_of "$CP_PID/stat"); pg0=$(cpu_of $(pg_pids))
  /usr/bin/time -f "%U %S %e" -o "$WORK/time" java -jar "$ROOT/bench/target/workcell-bench.jar" \
    --host 127.0.0.1 --port "$HTTP_PORT" --pg "127.0.0.1:$PG_PORT/workcell" --pg-user workcell --pg-password workcell \
    "$@" --only "$bench" || status=$?
  cp1=$(cpu_of "$CP_PID/stat"); pg1=$(cpu_of $(pg_pids))
  read -r bu bs wall <"$WORK/time"
  awk -v c0="$cp0" -v c1="$cp1" -v p0="$pg0" -v p1="$pg1" -v bu="$bu" -v bs="$bs" -v wall="$wall" -v cores="$(nproc)" \
    'BEGIN {printf "CPU of this benchmark run (%.1f s wall, %d cores = %.1f CPU-s): control plane %.1f s, PostgreSQL backends of the control plane %.1f s, bench JVM (submitters + simulated agents) %.1f s\n", wall, cores, wall * cores, c1 - c0, p1 - p0, bu + bs}'
done
if grep -qE " (ERROR|WARN) " "$WORK/control-plane.log"; then
  echo "control plane warnings/errors (first 10):"; grep -E " (ERROR|WARN) " "$WORK/control-plane.log" | head -10
fi
exit $status
