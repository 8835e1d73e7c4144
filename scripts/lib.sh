# Sourced by the benchmark scripts: a temporary folder removed on exit, and with `busy=1` one
# core kept busy by stress-ng for the whole script (stopped on exit too).
tmp=$(mktemp -d)
hog=
cleanup() {
    if [ -n "$hog" ]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
if [ "${busy:-0}" = 1 ]; then
    stress-ng --cpu 1 --quiet &
    hog=$!
    sleep 1
fi
