#!/usr/bin/env bash
# The memory limit (issue 15): a program that allocates without bound, stopped at
# `--memory-limit 256M` with a cgroup per run and with the /proc sampler enforcing it (its
# verdict, the tree peak read, how long it ran before it was stopped), and a program under the
# limit, whose peak must read as without a limit and as `/usr/bin/time -v` reads it.
# Needs GNU time (apt-get install time) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
versus=$PWD/target/release/versus
python=${PYTHON:-python3}
source scripts/lib.sh
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
leak='held = []
for _ in range(8192): held.append(b"x" * (1 << 20))'
under='held = b"x" * (100 << 20)'
case_of() {
    python3 -c 'import json,sys
c = json.load(sys.stdin)["cases"][0]
tree = c.get("tree_peak_bytes")
print(c["verdict"], "|", (c.get("detail") or "").split(";")[0], "|", "tree peak", tree // 1024 if tree else None, "KiB", c.get("tree_method"))'
}
for mode in auto sampling; do
    for i in 1 2 3; do
        start=$(date +%s.%N)
        out=$(VERSUS_TREE_MEMORY=$mode "$versus" --db "$tmp/v.db" exec --runs 1 --memory-limit 256M \
            --format json -- "$python" -c "$leak" 2>/dev/null || true)
        end=$(date +%s.%N)
        echo "leak, $mode #$i: $(echo "$out" | case_of) | versus exec took $(python3 -c "print(f'{$end - $start:.2f}')") s"
    done
done
peaks() { python3 -c 'import json,sys; c=json.load(sys.stdin)["cases"][0]; print(c["peak_rss_bytes"]//1024, c["tree_peak_bytes"]//1024, c["tree_method"])'; }
for i in 1 2 3; do
    t=$(/usr/bin/time -v "$python" -c "$under" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}')
    for limit in 256M none; do
        for mode in auto sampling; do
            read -r v tree method < <(VERSUS_TREE_MEMORY=$mode "$versus" --db "$tmp/v.db" exec --runs 5 \
                --memory-limit $limit --format json -- "$python" -c "$under" 2>/dev/null | peaks)
            echo "100 MiB #$i, --memory-limit $limit, $mode: /usr/bin/time -v ${t} KiB, versus peak_rss ${v} KiB, tree ${tree} KiB ($method)"
        done
    done
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
