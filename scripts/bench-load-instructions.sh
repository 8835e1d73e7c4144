#!/usr/bin/env bash
# The load generator's cost per request, in instructions (BENCHMARKS.md, "The load generator's
# cost per request"): cachegrind counts instructions whatever the machine's load, and
#   instructions per request = (Ir of a 4 s run − Ir of a 2 s run) ÷ (their requests' difference)
# so start-up and the report cancel out. Against the Go /json server of scripts/load-server.
#   scripts/bench-load-instructions.sh [VERSUS_BINARY ...] [-- EXTRA versus load ARGS]
# Each binary (default target/release/versus) is measured in turn, closed loop by default.
set -euo pipefail
cd "$(dirname "$0")/.."
BINARIES=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do BINARIES+=("$1"); shift; done
[ $# -gt 0 ] && shift
[ ${#BINARIES[@]} -eq 0 ] && BINARIES=(target/release/versus)
PORT=18097
URL=http://127.0.0.1:$PORT/json
(cd scripts/load-server && go build -o /tmp/versus-load-server .)
/tmp/versus-load-server $PORT &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 0.5
# Prints "IR REQUESTS" for one run of DURATION seconds.
measure() {
    local bin=$1 seconds=$2
    shift 2
    local json
    json=$(mktemp)
    local ir
    ir=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$bin" load "$URL" -c16 -d"${seconds}s" --warmup 0s --format json "$@" 2>&1 >"$json" |
        awk '/I *refs:/ { gsub(",", "", $NF); print $NF }')
    echo "$ir $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$json")"
    rm -f "$json"
}
echo "uptime: $(uptime)"
for bin in "${BINARIES[@]}"; do
    read -r ir2 req2 < <(measure "$bin" 2 "$@")
    read -r ir4 req4 < <(measure "$bin" 4 "$@")
    echo "$bin: $(awk -v a="$ir4" -v b="$ir2" -v c="$req4" -v d="$req2" \
        'BEGIN { printf "%.0f", (a - b) / (c - d) }') instructions per request" \
        "(2 s: $req2 requests, 4 s: $req4)"
done
