#!/usr/bin/env bash
# pg-up.sh <basedir> <port>: a throwaway PostgreSQL cluster owned by the 'postgres' OS user, on
# 127.0.0.1 only, with database/user/password workcell. Installs the server with apt-get only when
# it is missing. Stop it with: pg-down.sh <basedir>
set -euo pipefail
BASE=${1:?basedir}; PORT=${2:-55432}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
mkdir -p "$BASE"; chown postgres:postgres "$BASE"; chmod 700 "$BASE"
RUN="runuser -u postgres --"
echo postgres > "$BASE/pwfile"; chown postgres:postgres "$BASE/pwfile"
$RUN "$PGBIN/initdb" -D "$BASE/data" -U postgres -E UTF8 --no-locale \
     --auth-local=trust --auth-host=scram-sha-256 --pwfile="$BASE/pwfile" >"$BASE/initdb.log"
$RUN "$PGBIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 30 start \
     -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
$RUN "$PGBIN/psql" -h "$BASE" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q \
     -c "CREATE ROLE workcell LOGIN PASSWORD 'workcell'" -c "CREATE DATABASE workcell OWNER workcell"
echo "PostgreSQL $($RUN "$PGBIN/postgres" --version | awk '{print $3}') up on 127.0.0.1:$PORT (data in $BASE)"
