#!/usr/bin/env bash
# versus load against wrk -t1: requests per second of the generator's own CPU time, both driving
# the same Go net/http /json server on this machine, interleaved, 3 runs each (issue 5's target:
# versus at least as efficient as wrk -t1). Needs wrk (apt-get install wrk) and a release build.
#   scripts/bench-load-vs-wrk.sh [CONNECTIONS] [DURATION_S]
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-16}
D=${2:-5}
PORT=18080
URL=http://127.0.0.1:$PORT/json
(cd scripts/load-server && go build -o /tmp/versus-load-server .)
/tmp/versus-load-server $PORT &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 0.5
per_cpu() { awk -v r="$1" -v u="$2" -v s="$3" 'BEGIN { printf "%.0f", r / (u + s) }'; }
for run in 1 2 3; do
    out=$( { /usr/bin/time -f "TIME %U %S" wrk -t1 -c"$C" -d"${D}s" "$URL"; } 2>&1 )
    req=$(echo "$out" | awk '/requests in/ {print $1}')
    read -r u s < <(echo "$out" | awk '/^TIME/ {print $2, $3}')
    echo "run $run wrk -t1        requests $req cpu $(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}') s  req/cpu-s $(per_cpu "$req" "$u" "$s")"
    # --warmup 0 so the whole process is measured as wrk's is.
    out=$( { /usr/bin/time -f "TIME %U %S" ./target/release/versus load "$URL" -c"$C" -d"${D}s" --warmup 0s --format json; } 2>&1 )
    req=$(echo "$out" | sed '/^TIME/d;/^versus load:/d' | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
    read -r u s < <(echo "$out" | awk '/^TIME/ {print $2, $3}')
    echo "run $run versus load    requests $req cpu $(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}') s  req/cpu-s $(per_cpu "$req" "$u" "$s")"
done
