#!/usr/bin/env bash
# Harness floor: `versus exec -- true` against `hyperfine -N --runs 200 true`, three sessions
# each, alternated so both see the same machine. Prints each median and the ratio of their
# medians. Needs hyperfine (apt-get install hyperfine) and a release build of versus.
set -euo pipefail
cd "$(dirname "$0")/.."
versus=./target/release/versus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { python3 -c 'import json,statistics,sys; print(statistics.median(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$@"; }
for session in 1 2 3; do
    hyperfine -N --runs 200 --export-json "$tmp/h.json" true >/dev/null 2>&1
    h=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$tmp/h.json")
    "$versus" --db "$tmp/v.db" exec --runs 200 --format json -- true 2>/dev/null >"$tmp/v.json"
    v=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cases"][0]["wall_s"]["median"])' "$tmp/v.json")
    python3 -c "import sys; h,v=map(float,sys.argv[1:]); print(f'session $session: hyperfine median {h*1e3:.3f} ms, versus median {v*1e3:.3f} ms, versus/hyperfine {v/h:.3f}')" "$h" "$v"
done
