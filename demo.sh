#!/usr/bin/env bash
# Builds Workcell, starts it locally (control plane + one edge agent serving this host), submits a
# sample EXEC action, prints its result and stops everything. Needs only a JDK 17+ and Maven:
# without WORKCELL_DB the control plane starts an embedded PostgreSQL.
#   ./demo.sh          run once and stop
#   ./demo.sh --keep   leave the system running (Ctrl-C stops it)
# WORKCELL_HTTP_PORT (8080) moves it to another port, e.g. when 8080 is taken; WORKCELL_MANAGEMENT_PORT
# (9000) moves health, metrics and info.
set -euo pipefail
cd "$(dirname "$0")"
KEEP=false; [ "${1:-}" = "--keep" ] && KEEP=true
HTTP_PORT=${WORKCELL_HTTP_PORT:-8080}
MANAGEMENT_PORT=${WORKCELL_MANAGEMENT_PORT:-9000}
API=http://localhost:$HTTP_PORT/api/v1
RUNDIR=.workcell; mkdir -p "$RUNDIR"
HOST_NAME=${WORKCELL_AGENT_HOST_NAME:-$(hostname)}
PIDS=()
stop() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT

wait_for() { # wait_for <pid> <file> <text> <seconds>: stops at once when the process has died
  for _ in $(seq 1 $(( $4 * 10 ))); do
    grep -q "$3" "$2" 2>/dev/null && return 0
    kill -0 "$1" 2>/dev/null || { echo "the process writing $2 exited before '$3':"; tail -30 "$2"; exit 1; }
    sleep 0.1
  done
  echo "timed out waiting for '$3' in $2:"; tail -30 "$2"; exit 1
}

echo "==> building (mvn package -DskipTests)"
mvn -B -q package -DskipTests

# A fresh admin secret for this run: the control plane makes it the bootstrap admin token.
ADMIN_TOKEN=${WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN:-wct_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

echo "==> starting the control plane on localhost:$HTTP_PORT, health and metrics on localhost:$MANAGEMENT_PORT (log: $RUNDIR/control-plane.log)"
# WORKCELL_PLAINTEXT: local development only, so it listens on localhost only; see README "TLS" for certificates.
WORKCELL_AUTH_BOOTSTRAP_ADMIN_TOKEN=$ADMIN_TOKEN WORKCELL_PLAINTEXT=enabled QUARKUS_HTTP_HOST=localhost QUARKUS_HTTP_PORT=$HTTP_PORT \
QUARKUS_MANAGEMENT_HOST=localhost QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT \
  java -jar control-plane/target/quarkus-app/quarkus-run.jar >"$RUNDIR/control-plane.log" 2>&1 &
PIDS+=($!)
wait_for $! "$RUNDIR/control-plane.log" "started in" 120

echo "==> creating an enrollment token for the agent, and a submitter token for you"
ENROLLMENT=$(curl -sS -X POST "$API/enrollment-tokens" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d '{"pool": "demo", "reusable": false, "expiresInSeconds": 600}' | json_field secret)
TOKEN=$(curl -sS -X POST "$API/tokens" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name": "demo", "role": "submitter"}' | json_field secret)
[ -n "$ENROLLMENT" ] && [ -n "$TOKEN" ] || { echo "could not create tokens"; exit 1; }
AUTH="Authorization: Bearer $TOKEN"

echo "==> starting an edge agent for host '$HOST_NAME' (log: $RUNDIR/agent.log)"
# The embedded database is new on every run: so is the agent's enrollment.
rm -f "$RUNDIR/agent-credential"
WORKCELL_CONTROL_PLANE_PORT=$HTTP_PORT WORKCELL_AGENT_HOST_NAME=$HOST_NAME WORKCELL_AGENT_SERVE_HOST=true \
WORKCELL_AGENT_ENROLLMENT_TOKEN=$ENROLLMENT WORKCELL_AGENT_CREDENTIAL_FILE=$RUNDIR/agent-credential WORKCELL_AGENT_PLAINTEXT=true \
  java -jar edge-agent/target/quarkus-app/quarkus-run.jar >"$RUNDIR/agent.log" 2>&1 &
PIDS+=($!)
wait_for $! "$RUNDIR/agent.log" "registered with control plane" 60

echo "==> submitting: EXEC uname -a on device '$HOST_NAME'"
SUBMITTED=$(curl -sS -X POST "$API/actions" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"operation\": \"EXEC\", \"target\": \"$HOST_NAME\", \"input\": {\"exec\": {\"argv\": [\"uname\", \"-a\"]}}, \"force\": true}")
ID=$(echo "$SUBMITTED" | sed -n 's/.*"id":"\([0-9a-f]\{40\}\)".*/\1/p')
[ -n "$ID" ] || { echo "submit failed: $SUBMITTED"; exit 1; }
echo "    action $ID"

for _ in $(seq 1 300); do
  ACTION=$(curl -sS -H "$AUTH" "$API/actions/$ID")
  STATUS=$(echo "$ACTION" | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p')
  case "$STATUS" in SUCCEEDED|FAILED|CANCELLED) break ;; esac
  sleep 0.1
done
echo "==> result: $STATUS"
echo "$ACTION"
echo "==> history"
curl -sS -H "$AUTH" "$API/actions/$ID/events"; echo
[ "$STATUS" = SUCCEEDED ] || exit 1

echo "==> your submitter token (shown once; the admin token of this run is in \$ADMIN_TOKEN of demo.sh):"
echo "    export WORKCELL_TOKEN=$TOKEN"
echo "    curl -H \"Authorization: Bearer \$WORKCELL_TOKEN\" $API/actions"
echo "    cli/workcell login http://localhost:$HTTP_PORT   # the CLI (README \"CLI\"): paste the token, then e.g. cli/workcell list"
if $KEEP; then
  echo "    admin token of this run: $ADMIN_TOKEN"
  echo "==> dashboard: http://localhost:$HTTP_PORT/ (paste a token above to sign in; README \"Dashboard\")"
  echo "==> running: REST on $API, gRPC on localhost:$HTTP_PORT, health and metrics on"
  echo "    http://localhost:$MANAGEMENT_PORT/q/health/ready and /q/metrics (no token). Ctrl-C stops it."
  wait
fi
