#!/usr/bin/env bash
# Harness floor: `versus exec -- true` against `hyperfine -N true`, in short alternating
# sessions (60 of 10 runs each by default) so both tools see the same machine. Reports the ratio of the pooled medians with
# a 95% interval from a bootstrap over sessions (each resample draws whole sessions, both tools'
# runs of a session together, so drift between sessions widens the interval), and the median of
# the per-session ratios (each session's versus median over its hyperfine median), bootstrapped
# the same way.
#
#   scripts/bench-harness-floor.sh [--busy] [--sessions N (60)] [--runs N (10)] [--versus PATH]
#
# --busy keeps `stress-ng --cpu 1` running in the background (one of the cores busy).
# --versus compares another build (e.g. one made before a change). Needs hyperfine, python3,
# stress-ng for --busy (apt-get install hyperfine stress-ng) and a release build of versus.
set -euo pipefail
cd "$(dirname "$0")/.."
versus=./target/release/versus
sessions=60
runs=10
busy=0
while [ $# -gt 0 ]; do
    case "$1" in
        --busy) busy=1 ;;
        --sessions) sessions=$2; shift ;;
        --runs) runs=$2; shift ;;
        --versus) versus=$2; shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
source scripts/lib.sh
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for session in $(seq "$sessions"); do
    hyperfine -N --runs "$runs" --export-json "$tmp/h$session.json" true >/dev/null 2>&1
    "$versus" --db "$tmp/v.db" exec --runs "$runs" --format json -- true 2>/dev/null >"$tmp/v$session.json"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$tmp" "$sessions" <<'PY'
import json, random, statistics, sys
tmp, sessions = sys.argv[1], int(sys.argv[2])
h = [json.load(open(f"{tmp}/h{s}.json"))["results"][0]["times"] for s in range(1, sessions + 1)]
v = [[r["wall_s"] for r in json.load(open(f"{tmp}/v{s}.json"))["cases"][0]["samples"]]
     for s in range(1, sessions + 1)]
def pooled_ratio(picks):
    return statistics.median([t for s in picks for t in v[s]]) / statistics.median(
        [t for s in picks for t in h[s]])
everything = range(sessions)
rng = random.Random(12)
boot = sorted(pooled_ratio([rng.randrange(sessions) for _ in everything]) for _ in range(2000))
lo, hi = boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]
hm = statistics.median([t for s in h for t in s])
vm = statistics.median([t for s in v for t in s])
print(f"hyperfine -N: {sum(map(len, h))} runs, median {hm*1e3:.3f} ms")
print(f"versus exec:  {sum(map(len, v))} runs, median {vm*1e3:.3f} ms")
print(f"versus / hyperfine: {pooled_ratio(everything):.3f} [{lo:.3f}, {hi:.3f}] "
      "(ratio of pooled medians, 95% bootstrap over sessions)")
# Each session's pair, and the median of those ratios (paired: a burst of load hits one pair).
per = [statistics.median(v[s]) / statistics.median(h[s]) for s in everything]
boot = sorted(statistics.median([per[rng.randrange(sessions)] for _ in everything])
              for _ in range(2000))
lo, hi = boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]
print(f"median of the per-session ratios: {statistics.median(per):.3f} [{lo:.3f}, {hi:.3f}]")
print(f"per session: min {min(per):.3f}, max {max(per):.3f}")
PY
