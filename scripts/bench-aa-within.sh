#!/usr/bin/env bash
# A/A inside one run: `versus exec` of a command against itself, interleaved, as `versus run`
# pairs Python's and Go's runs. Every `faster` or `slower` is a false call of the noise floor
# that `run`'s own verdicts use (±3% on CPU time, ±5% on wall time). Three commands: CPython's
# n-body (CPU time), Go's n-body (CPU time) and CPython's start-up (wall time), each in N
# separate invocations (default 10) at the quick profile.
#
#   scripts/bench-aa-within.sh [--busy] [--runs N]
#
# --busy keeps one core busy with `stress-ng --cpu 1`. Needs a release build and go.
set -euo pipefail
cd "$(dirname "$0")/.."
busy=0
runs=10
while [ $# -gt 0 ]; do
    case "$1" in
        --busy) busy=1 ;;
        --runs) runs=$2; shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
versus=$PWD/target/release/versus
python=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
source scripts/lib.sh
go build -o "$tmp/nbody" workloads/cpu/nbody/nbody.go
echo "date: $(date -u +%FT%TZ); $(uptime | sed 's/.*load/load/'); busy=$busy; $runs invocations each"
check() {
    local name=$1 metric=$2
    shift 2
    for i in $(seq "$runs"); do
        "$versus" --db "$tmp/v.db" exec --metric "$metric" --format json -- "$@" --vs "$@" >"$tmp/$name$i.json" 2>/dev/null
    done
    python3 - "$tmp" "$name" "$runs" <<'PY'
import json, sys
tmp, name, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [json.load(open(f"{tmp}/{name}{i}.json"))["comparisons"][0] for i in range(1, runs + 1)]
called = [r for r in rows if r["verdict"] != "within-noise"]
widths = sorted(r["precision"]["half_width"] for r in rows)
print(f"{name} [{rows[0]['metric']}]: called {len(called)}/{len(rows)}; ratios "
      f"{min(r['ratio'] for r in rows):.3f}-{max(r['ratio'] for r in rows):.3f}; "
      f"median half-width {100 * widths[len(widths) // 2]:.1f}%")
for r in called:
    print(f"  {r['ratio']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}] {r['verdict']}")
PY
}
check cpython-nbody cpu "$python" workloads/cpu/nbody/nbody.py 200000
check go-nbody cpu "$tmp/nbody" 2000000
check cpython-startup wall "$python" -c pass
