#!/usr/bin/env bash
# Harness floor: `versus exec -- true` against `hyperfine -N true`, in 10 alternating sessions
# of 40 runs each so both tools see the same machine; compares the medians of all 400 runs of
# each. Needs hyperfine (apt-get install hyperfine) and a release build of versus.
set -euo pipefail
cd "$(dirname "$0")/.."
versus=./target/release/versus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for session in $(seq 10); do
    hyperfine -N --runs 40 --export-json "$tmp/h$session.json" true >/dev/null 2>&1
    "$versus" --db "$tmp/v.db" exec --runs 40 --format json -- true 2>/dev/null >"$tmp/v$session.json"
done
python3 - "$tmp" <<'PY'
import glob, json, statistics, sys
tmp = sys.argv[1]
h = [t for f in glob.glob(f"{tmp}/h*.json") for t in json.load(open(f))["results"][0]["times"]]
v = [s["wall_s"] for f in glob.glob(f"{tmp}/v*.json") for s in json.load(open(f))["cases"][0]["samples"]]
hm, vm = statistics.median(h), statistics.median(v)
print(f"hyperfine -N: {len(h)} runs, median {hm*1e3:.3f} ms")
print(f"versus exec:  {len(v)} runs, median {vm*1e3:.3f} ms")
print(f"versus / hyperfine: {vm/hm:.3f}")
PY
