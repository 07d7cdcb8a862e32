#!/usr/bin/env bash
# Measures how fast the edge agent starts: the time from starting its process to its "registered with
# control plane" log line, and its resident memory (VmRSS) 1 s after that, over several runs of each setup:
#   1. java -jar edge-agent/target/quarkus-app/quarkus-run.jar, default JVM flags
#   2. the same with -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1
#   3. when /usr/lib/jvm/temurin-25-jdk-amd64 exists: Java 25 running the agent packaged as an aot-jar,
#      without and then with an AOT cache (JEP 483/514) recorded by a training run that registers.
#
#   native/bench-startup.sh [-n RUNS] [HOST:PORT]
#
# HOST:PORT is the control plane's gRPC address. Without it the script starts the control plane itself
# ($CONTROL_PLANE_JAR, default control-plane/target/quarkus-app/quarkus-run.jar; embedded PostgreSQL
# unless WORKCELL_DB is set) on a free port, and stops it at the end.
# Needs the packaged agent (mvn -B -q package -DskipTests). Setup 3 builds the aot-jar into
# edge-agent/target/aot-jar with $MVN (default "mvn -B -q").
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=5
while getopts "n:" option; do
  case $option in
    n) RUNS=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
ADDRESS=${1:-}
JAVA=${JAVA:-java}
JAVA25_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
MVN=${MVN:-mvn -B -q}
CONTROL_PLANE_JAR=${CONTROL_PLANE_JAR:-control-plane/target/quarkus-app/quarkus-run.jar}
AGENT_APP=edge-agent/target/quarkus-app
AOT_APP=edge-agent/target/aot-jar
REGISTERED="registered with control plane"
WORK=$(mktemp -d /tmp/workcell-bench.XXXXXX)
CONTROL_PLANE_PID=
AGENT_PID=

stop_processes() {
  for pid in $AGENT_PID $CONTROL_PLANE_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap stop_processes EXIT

fail() { echo "bench-startup: $*" >&2; exit 1; }

[ -f "$AGENT_APP/quarkus-run.jar" ] || fail "no $AGENT_APP/quarkus-run.jar: build it with 'mvn -B -q package -DskipTests'"

# Epoch milliseconds of a Quarkus log line ("2026-11-28 22:43:31,594 INFO ..."), in local time like date's.
log_millis() {
  local stamp
  stamp=$(cut -c1-23 <<<"$1" | tr ',' '.')
  date -d "$stamp" +%s%3N
}

start_control_plane() {
  [ -f "$CONTROL_PLANE_JAR" ] || fail "no $CONTROL_PLANE_JAR: build it with 'mvn -B -q package -DskipTests', or pass HOST:PORT"
  local port=18480
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "starting the control plane on :$port (log: $WORK/control-plane.log)"
  ADMIN_TOKEN=wct_startup-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN=$ADMIN_TOKEN WORKCELL_PLAINTEXT=enabled QUARKUS_HTTP_PORT=$port \
    "$JAVA" -jar "$CONTROL_PLANE_JAR" >"$WORK/control-plane.log" 2>&1 &
  CONTROL_PLANE_PID=$!
  for _ in $(seq 1 1200); do
    if grep -q "started in" "$WORK/control-plane.log"; then
      ADDRESS=localhost:$port
      # The agents of all runs share one host name and one credential: only the first run enrolls.
      export WORKCELL_AGENT_ENROLLMENT_TOKEN WORKCELL_AGENT_CREDENTIAL_FILE=$WORK/credential
      WORKCELL_AGENT_ENROLLMENT_TOKEN=$(curl -sS -X POST "http://$ADDRESS/api/v1/enrollment-tokens" \
        -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
        -d '{"pool": "startup", "reusable": true}' | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p')
      return
    fi
    kill -0 "$CONTROL_PLANE_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$WORK/control-plane.log"
  fail "the control plane did not start"
}

# run_agent <log> <java> <app dir> [jvm flags...]: starts the agent in the background; sets AGENT_PID.
run_agent() {
  local log=$1 java=$2 app=$3
  shift 3
  WORKCELL_CONTROL_PLANE_HOST=${ADDRESS%:*} WORKCELL_CONTROL_PLANE_PORT=${ADDRESS##*:} \
    WORKCELL_AGENT_HOST_NAME=bench-startup-$$ WORKCELL_AGENT_PLAINTEXT=true "$java" "$@" -jar "$app/quarkus-run.jar" >"$log" 2>&1 &
  AGENT_PID=$!
}

# await_registered <log> <pid>: prints the registration line once it is logged.
await_registered() {
  local line
  for _ in $(seq 1 6000); do
    line=$(grep -m1 "$REGISTERED" "$1" || true)
    [ -n "$line" ] && { echo "$line"; return 0; }
    kill -0 "$2" 2>/dev/null || break
    sleep 0.01
  done
  tail -20 "$1" >&2
  return 1
}

stop_agent() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# "median min max" of numbers, one a line.
stats() {
  sort -n | awk '{ v[NR] = $1 } END {
    median = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%7.0f %7.0f %7.0f", median, v[1], v[NR] }'
}

# measure <label> <java> <app dir> [jvm flags...]: RUNS runs; one result line.
measure() {
  local label=$1 java=$2 app=$3
  shift 3
  local times=() rss=() run started line registered rss_kb
  for run in $(seq 1 "$RUNS"); do
    local log="$WORK/${label//[^A-Za-z0-9]/_}-$run.log"
    started=$(date +%s%3N)
    run_agent "$log" "$java" "$app" "$@"
    line=$(await_registered "$log" "$AGENT_PID") || { stop_agent "$AGENT_PID"; fail "$label: the agent did not register (log: $log)"; }
    registered=$(log_millis "$line")
    sleep "$(awk -v wait=$((registered + 1000 - $(date +%s%3N))) 'BEGIN { print (wait > 0 ? wait / 1000 : 0) }')"
    rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$AGENT_PID/status")
    stop_agent "$AGENT_PID"
    times+=($((registered - started)))
    rss+=("$rss_kb")
  done
  printf "%-58s %s ms   %s MB\n" "$label" \
    "$(printf '%s\n' "${times[@]}" | stats)" \
    "$(printf '%s\n' "${rss[@]}" | awk '{ print $1 / 1024 }' | stats)"
}

# Packages the agent as an aot-jar (its classes on the application class path, which an AOT cache can hold;
# the fast-jar's own class loader keeps them out) and records a cache with a training run that registers.
prepare_aot() {
  local java25=$JAVA25_HOME/bin/java
  echo "packaging the agent as an aot-jar into $AOT_APP ($MVN package -pl edge-agent -am -DskipTests)"
  $MVN package -pl edge-agent -am -DskipTests -Dquarkus.package.jar.type=aot-jar \
    -Dquarkus.package.output-directory=aot-jar >"$WORK/aot-jar-build.log" 2>&1 \
    || { tail -20 "$WORK/aot-jar-build.log"; return 1; }
  AOT_CACHE=$WORK/agent.aot
  echo "training run on Java 25: -XX:AOTCacheOutput=$AOT_CACHE, registering, then stopping (log: $WORK/aot-training.log)"
  run_agent "$WORK/aot-training.log" "$java25" "$AOT_APP" -XX:AOTCacheOutput="$AOT_CACHE" -Xlog:aot=error
  await_registered "$WORK/aot-training.log" "$AGENT_PID" >/dev/null || { stop_agent "$AGENT_PID"; return 1; }
  sleep 2
  stop_agent "$AGENT_PID"
  [ -s "$AOT_CACHE" ] || { tail -5 "$WORK/aot-training.log"; return 1; }
  echo "AOT cache: $(du -h "$AOT_CACHE" | cut -f1)"
}

[ -n "$ADDRESS" ] || start_control_plane
echo "control plane: $ADDRESS; $RUNS runs per setup; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); logs in $WORK"
echo "java: $("$JAVA" -version 2>&1 | head -1)"
echo
printf "%-58s %s      %s\n" "setup" "start to registered: median  min  max" "RSS after 1 s: median  min  max"
measure "Java 17, default flags" "$JAVA" "$AGENT_APP"
measure "Java 17, -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1" "$JAVA" "$AGENT_APP" \
  -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1

if [ -x "$JAVA25_HOME/bin/java" ]; then
  echo
  if prepare_aot; then
    echo
    measure "Java 25, aot-jar, default flags, no AOT cache" "$JAVA25_HOME/bin/java" "$AOT_APP"
    # AOTMode=on: a cache the JVM cannot use stops the run instead of being ignored.
    measure "Java 25, aot-jar, -XX:AOTCache (trained by registering)" "$JAVA25_HOME/bin/java" "$AOT_APP" \
      -XX:AOTCache="$AOT_CACHE" -XX:AOTMode=on
    rm -f "$AOT_CACHE"
  else
    echo "Java 25 with an AOT cache: not measured, the cache could not be made (logs in $WORK)"
  fi
else
  echo "Java 25 with an AOT cache: not measured, no $JAVA25_HOME"
fi
