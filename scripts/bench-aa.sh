#!/usr/bin/env bash
# A/A: two tours back to back on the same machine, then `versus compare` of the two: every row
# it calls faster or slower is a false call. Target: at most 5% of rows, quiet and beside one
# busy core.
#
#   scripts/bench-aa.sh [--busy] [WORKLOAD...]   (default: the tour)
#
# --busy keeps one core busy with `stress-ng --cpu 1`. Needs stress-ng and a release build;
# the first tour also warms the caches (builds, venvs, inputs) if they are cold.
set -euo pipefail
cd "$(dirname "$0")/.."
busy=0
if [ "${1:-}" = "--busy" ]; then
    busy=1
    shift
fi
versus=$PWD/target/release/versus
source scripts/lib.sh
echo "date: $(date -u +%FT%TZ); $(uptime | sed 's/.*load/load/'); busy=$busy; ${*:-the tour}"
for run in a b; do
    start=$(date +%s)
    "$versus" --db "$tmp/v.db" run "$@" >/dev/null 2>&1 || true
    echo "tour $run: $(( $(date +%s) - start )) s"
done
"$versus" --db "$tmp/v.db" compare 1 2 --format json >"$tmp/c.json"
"$versus" --db "$tmp/v.db" compare 1 2 >"$tmp/c.txt" || true
cp "$tmp/v.db" "${KEEP_DB:-/dev/null}" 2>/dev/null || true
python3 - "$tmp/c.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
rows = c["rows"]
called = [r for r in rows if r["verdict"] != "within-noise"]
print(f"rows {len(rows)}, called {len(called)} ({100 * len(called) / max(1, len(rows)):.1f}%), overloaded {sum(r['overloaded'] for r in rows)}")
for r in called:
    point = f" ({r['point']['name']}={r['point']['value']})" if r["point"] else ""
    print(f"  {r['workload']}{point} {r['case']} [{r['measure']}]: {r['change']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}] {r['verdict']}")
PY
