#!/usr/bin/env bash
# pg-down.sh <basedir>: stops a cluster started by pg-up.sh.
set -uo pipefail
BASE=${1:?basedir}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null 2>&1 || true
