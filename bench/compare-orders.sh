#!/usr/bin/env bash
# Compares the orders bench of this checkout with another one (e.g. `git worktree add /tmp/old HEAD~3`
# with this checkout's node_modules linked into it), on a machine too noisy for serial runs: both
# run at the same time, each on its own database in /dev/shm, once with this checkout started
# first and once with the other; each round prints the ratio of this checkout's CPU per event to
# the other's (below 1: this one is cheaper). See docs/decisions.md ("How two builds of ingestion
# are compared").
#
#   bench/compare-orders.sh OTHER_CHECKOUT [ROUNDS=2] [extra orders bench options…]
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
other="${1:?usage: bench/compare-orders.sh OTHER_CHECKOUT [ROUNDS] [options…]}"
rounds="${2:-2}"
shift $(( $# >= 2 ? 2 : 1 ))
[ -d "$other/bench" ] || { echo "no bench/ in $other" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

run() { (cd "$1" && TMPDIR=/dev/shm node --import tsx bench/run.ts orders --settle-lines 0 "${@:3}" 2>/dev/null | tail -1 > "$out/$2.json"); }

for i in $(seq 1 "$rounds"); do
  for first in this other; do
    if [ "$first" = this ]; then run "$here" this "$@" & sleep 0.2; run "$other" other "$@" &
    else run "$other" other "$@" & sleep 0.2; run "$here" this "$@" &
    fi
    wait
    node -e '
      const fs = require("fs");
      const [a, b] = ["this", "other"].map((n) => JSON.parse(fs.readFileSync(`${process.argv[1]}/${n}.json`, "utf8")));
      const r = (k) => (a[k] / b[k]).toFixed(3);
      console.log(`round ${process.argv[2]}, ${process.argv[3]} first: this loop ${a.loop_cpu_us_per_event} µs, all threads ${a.process_cpu_us_per_event} µs, ${a.events_per_s} events/s | other ${b.loop_cpu_us_per_event}, ${b.process_cpu_us_per_event}, ${b.events_per_s} | this/other loop ${r("loop_cpu_us_per_event")} all threads ${r("process_cpu_us_per_event")}`);
    ' "$out" "$i" "$first" || exit 1
  done
done
