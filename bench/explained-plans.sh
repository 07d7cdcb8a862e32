#!/usr/bin/env bash
# explained-plans.sh SERVER_LOG: the last plan auto_explain logged for each hot statement of the
# ledger (bench/run.sh with BENCH_EXPLAIN=1), with actual rows and buffers, query text left out.
set -euo pipefail
awk '
  function flush() {
    if (entry == "") return
    kind = ""
    if (index(entry, "host_id, target_id, status, max_attempts")) kind = "insert (submit by target, group-committed)"
    else if (index(entry, "dimension_set_id, slice_deadline, priority, queue_rank")) kind = "insert (submit by dimensions, group-committed)"
    else if (index(entry, "SELECT a.id FROM live_actions l JOIN actions a")) kind = "claim (device by target, group-committed)"
    else if (index(entry, "AS from_target")) kind = "claim (device matching dimension sets)"
    else if (index(entry, "SET status = u.status")) kind = "report (RUNNING / finished, group-committed)"
    else if (index(entry, "dimension_set_id = $1 AND status = \047QUEUED\047 AND not_before <= now()")) kind = "anything waiting in a dimension set (LedgerQueries.anyWaitingIn)"
    else if (index(entry, "UPDATE live_actions SET status = CASE WHEN NEW.status")) kind = "trigger: live_actions follows an update"
    else if (index(entry, "DELETE FROM live_actions WHERE id = OLD.id")) kind = "trigger: live_actions drops a finished action"
    else if (index(entry, "INSERT INTO live_actions") && index(entry, "FROM inserted")) kind = "trigger: live_actions adds inserted actions"
    if (kind != "") { plan[kind] = header "\n" body; seen[kind] = 1 }
    entry = ""; body = ""; inplan = 0
  }
  / LOG:  duration: .* plan:$/ { flush(); entry = $0; header = $0; sub(/^.*LOG:  /, "", header); next }
  /^\t/ && entry != "" {
    entry = entry "\n" $0
    if (!inplan && ($0 ~ /\(actual (time|rows)=/ || $0 ~ /never executed/)) inplan = 1
    if (inplan) body = body "\n" $0
    next
  }
  { flush() }
  END {
    flush()
    n = split("insert (submit by target, group-committed)|insert (submit by dimensions, group-committed)|claim (device by target, group-committed)|claim (device matching dimension sets)|report (RUNNING / finished, group-committed)|anything waiting in a dimension set (LedgerQueries.anyWaitingIn)|trigger: live_actions adds inserted actions|trigger: live_actions follows an update|trigger: live_actions drops a finished action", order, "|")
    for (i = 1; i <= n; i++) {
      k = order[i]
      print "== " k
      print (k in seen) ? plan[k] : "(not sampled in this run)"
      print ""
    }
  }' "$1"
