#!/usr/bin/env bash
# Counts the instructions of the orders bench's event loop while it ingests (callgrind, the
# ingestion window only), and prints the native functions whose counts repeat between runs of one
# build, so two builds can be compared on a machine too noisy for timings. The total moves ~3%
# between runs of one build (the garbage collector's and the compiler's timing); compare the
# named functions. See docs/decisions.md ("Bulk statements take their values as arguments").
#
#   bench/callgrind-orders.sh [CHECKOUT=.] [EVENTS=20000]     (~3 minutes for 20,000 events)
set -uo pipefail
dir="$(cd "${1:-.}" && pwd)"
events="${2:-20000}"
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install -y valgrind)" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# valgrind's control files go where TMPDIR says; callgrind_control must look in the same place.
export TMPDIR=/dev/shm
cd "$dir"
valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes --callgrind-out-file="$out/cg.%p" \
  node --max-semi-space-size=64 --import tsx bench/run.ts orders --settle-lines 0 --events "$events" > "$out/stdout" 2> "$out/stderr" &
pid=$!
until grep -q "ingesting" "$out/stderr" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "the bench stopped before ingesting:" >&2; tail -5 "$out/stderr" >&2; exit 1; }
  sleep 0.2
done
callgrind_control -i on "$pid" > /dev/null 2>&1
until grep -q "loading" "$out/stderr" 2>/dev/null; do sleep 0.2; done
callgrind_control -i off "$pid" > /dev/null 2>&1
wait "$pid"
loop="$(ls "$out"/cg.*-01)"
callgrind_annotate --inclusive=yes --threshold=100 "$loop" 2>/dev/null > "$out/inclusive"
count() { grep -m1 -F "$1" "$out/inclusive" | awk '{gsub(",", "", $1); print $1}'; }
echo "event loop, ingestion of $events events (instructions, inclusive):"
printf '%-34s %15s\n' "all" "$(grep -m1 'PROGRAM TOTALS' "$out/inclusive" | awk '{gsub(",", "", $1); print $1}')"
for f in 'Heap::CollectGarbage' 'Statement::JS_run(' 'Statement::JS_all(' 'Binder::Bind(' 'Data::GetRowJS(' 'sqlite3_step' 'Builtins_KeyedLoadIC_Megamorphic' 'Builtins_LoadIC_Megamorphic' 'JsonStringify(' 'JsonParser<unsigned char>::ParseJson('; do
  printf '%-34s %15s\n' "$f" "$(count "$f")"
done
