#!/usr/bin/env bash
# Ratio stability and interval coverage: the same Python/Go case in N separate `versus run`
# invocations (default 20), each followed by a hyperfine session on the same two commands, so
# both tools see the same machine. Reports, for versus's headline (paired, CPU time for a
# workload with metric = "cpu") and wall-time ratios and for hyperfine's: the spread (max/min)
# of the per-invocation ratios; for versus, the share of its 95% intervals that contain the
# pooled ratio (the median of every pair of every invocation) and the median half-width; and
# how often hyperfine's ratio falls inside versus's interval.
#
#   scripts/bench-ratio-stability.sh [--busy] [--runs N] [WORKLOAD]   (default cpu/nbody; PYTHON
#   names the CPython, default the real interpreter behind python3)
#
# KEEP_DB=PATH keeps the database of the versus runs.
# --busy keeps one core busy with `stress-ng --cpu 1` for the whole script. Needs hyperfine,
# stress-ng (apt-get install hyperfine stress-ng) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
busy=0
runs=20
workload=cpu/nbody
while [ $# -gt 0 ]; do
    case "$1" in
        --busy) busy=1 ;;
        --runs) runs=$2; shift ;;
        *) workload=$1 ;;
    esac
    shift
done
versus=$PWD/target/release/versus
# One CPython (the real interpreter behind python3, shims resolved), so PyPy is left out.
python=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
source scripts/lib.sh
echo "date: $(date -u +%FT%TZ); $(uptime | sed 's/.*load/load/'); busy=$busy; $workload, $runs invocations"
for i in $(seq "$runs"); do
    "$versus" --db "$tmp/v.db" --python "$python" run "$workload" --format json >"$tmp/v$i.json" 2>/dev/null
    python3 - "$tmp/v$i.json" "$tmp/cmds$i" "$workload" <<'PY'
import json, shlex, sys
report = json.load(open(sys.argv[1]))
c = next(c for c in report["comparisons"] if c["workload"] == sys.argv[3] and c["contender"].startswith("cpython"))
cases = report["cases"]
py = next(x for x in cases if x["group"] == c["group"] and x["toolchain"] == c["contender"] and x["variant"] == "idiomatic" and x["label"] is None)
go = next(x for x in cases if x["group"] == c["group"] and x["baseline"])
def command(case):
    text = " ".join(shlex.quote(a) for a in case["command"])
    return f"sh -c {shlex.quote(text + ' < ' + shlex.quote(case['stdin']))}" if case["stdin"] else text
open(sys.argv[2], "w").write(command(py) + "\n" + command(go) + "\n")
PY
    mapfile -t cmds <"$tmp/cmds$i"
    hyperfine -N --warmup 1 --runs 10 --export-json "$tmp/h$i.json" "${cmds[0]}" "${cmds[1]}" >/dev/null 2>&1
done
python3 - "$tmp" "$runs" "$workload" <<'PY'
import json, math, statistics as st, sys
tmp, runs, workload = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows, pooled = [], {"head": [], "wall": []}
for i in range(1, runs + 1):
    report = json.load(open(f"{tmp}/v{i}.json"))
    c = next(c for c in report["comparisons"] if c["workload"] == workload and c["contender"].startswith("cpython"))
    cases = report["cases"]
    py = next(x for x in cases if x["group"] == c["group"] and x["toolchain"] == c["contender"] and x["variant"] == "idiomatic" and x["label"] is None)
    go = next(x for x in cases if x["group"] == c["group"] and x["baseline"])
    by_round = lambda case, f: {s["round"]: f(s) for s in case["samples"]}
    cpu = lambda s: s["user_s"] + s["sys_s"]
    wall = lambda s: s["wall_s"]
    for key, f in (("head", cpu if c["metric"] == "cpu" else wall), ("wall", wall)):
        p, g = by_round(py, f), by_round(go, f)
        pooled[key] += [p[r] / g[r] for r in p if r in g]
    h = json.load(open(f"{tmp}/h{i}.json"))["results"]
    rows.append({
        "ratio": c["ratio"], "lo": c["ci_low"], "hi": c["ci_high"], "metric": c["metric"],
        "wall": c["other"]["ratio"] if c["metric"] == "cpu" else c["ratio"],
        "half": c["precision"]["half_width"], "stopped": c["precision"]["stopped_by"],
        "h_wall": h[0]["median"] / h[1]["median"],
        "h_cpu": (h[0]["user"] + h[0]["system"]) / (h[1]["user"] + h[1]["system"]),
    })
pool = st.median(pooled["head"])
spread = lambda xs: max(xs) / min(xs)
covered = sum(r["lo"] <= pool <= r["hi"] for r in rows)
h_key = "h_cpu" if rows[0]["metric"] == "cpu" else "h_wall"
h_inside = sum(r["lo"] <= r[h_key] <= r["hi"] for r in rows)
print(f"versus headline ({rows[0]['metric']}, paired): ratios {min(r['ratio'] for r in rows):.3g}-{max(r['ratio'] for r in rows):.3g}, spread {spread([r['ratio'] for r in rows]):.3f}")
print(f"versus wall (paired): ratios {min(r['wall'] for r in rows):.3g}-{max(r['wall'] for r in rows):.3g}, spread {spread([r['wall'] for r in rows]):.3f}")
print(f"hyperfine {h_key[2:]} ({'means' if h_key == 'h_cpu' else 'medians'}): ratios {min(r[h_key] for r in rows):.3g}-{max(r[h_key] for r in rows):.3g}, spread {spread([r[h_key] for r in rows]):.3f}")
print(f"hyperfine wall (medians): spread {spread([r['h_wall'] for r in rows]):.3f}")
print(f"pooled ratio {pool:.4g}: inside {covered}/{runs} of versus's 95% intervals ({100*covered/runs:.0f}%); median half-width {100*st.median(r['half'] for r in rows):.1f}%")
print(f"hyperfine's ratio inside versus's interval: {h_inside}/{runs}")
print("stopped by: " + ", ".join(f"{k} {sum(r['stopped'] == k for r in rows)}" for k in ("precise", "budget", "rounds")))
PY
cp "$tmp/v.db" "${KEEP_DB:-/dev/null}" 2>/dev/null || true
