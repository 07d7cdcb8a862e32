#!/usr/bin/env bash
# jfr-top.sh RECORDING [N]: where a control plane's CPU went, from the execution samples of a JFR
# recording (bench/run.sh with BENCH_JFR=1), each line as a share of all samples: the N (20) hottest
# frames by self time, then the N Workcell methods (dev.workcell.*, CDI proxies left out) that were
# the innermost Workcell code of the most samples, with the call they were in.
set -euo pipefail
n=${2:-20}
jfr print --events jdk.ExecutionSample --stack-depth 96 "$1" | awk -v n="$n" '
  /^[ \t]*stackTrace = \[/ { depth = 0; inner = ""; below = "(self)"; prev = ""; instack = 1; next }
  instack && /^[ \t]*\]/ {
    instack = 0; total++
    if (inner != "") workcell[inner "  ->  " below]++
    next
  }
  instack {
    frame = $0; sub(/^[ \t]+/, "", frame); sub(/[ \t]+line:.*$/, "", frame)
    if (frame == "...") next
    if (depth++ == 0) self[frame]++
    if (inner == "" && frame ~ /^dev\.workcell\./ && frame !~ /(_ClientProxy|_Subclass)\./) { inner = frame; if (prev != "") below = prev }
    prev = frame
  }
  END {
    if (total == 0) { print "no execution samples"; exit }
    sort = "sort -rn | head -" n
    printf "%d execution samples\n-- hottest frames (self time):\n", total
    for (f in self) printf "%6.2f%%  %s\n", 100 * self[f] / total, f | sort
    close(sort)
    print "-- innermost Workcell method of each sample  ->  the call it was in:"
    for (f in workcell) printf "%6.2f%%  %s\n", 100 * workcell[f] / total, f | sort
    close(sort)
  }'
