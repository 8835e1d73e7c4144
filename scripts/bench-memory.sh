#!/usr/bin/env bash
# Memory: peak RSS of Go's hello-world and of a C program touching 100 MiB, versus against
# /usr/bin/time -v (targets: within 10% and 3%); and the process-tree peak of a Python program
# whose 4 children touch 50 MiB each (cgroup, then the /proc sampling fallback). Needs gcc, go,
# GNU time (apt-get install time) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
versus=$PWD/target/release/versus
python=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/touch100.c" <<'C'
#include <stdlib.h>
int main(void) {
    size_t n = 100u << 20;
    volatile char *p = malloc(n);
    for (size_t i = 0; i < n; i += 4096) p[i] = 1;
    return p[n / 2] == 1 ? 0 : 1;
}
C
gcc -O2 -o "$tmp/touch100" "$tmp/touch100.c"
mkdir "$tmp/hello"
cat >"$tmp/hello/hello.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("hello, world") }
GO
(cd "$tmp/hello" && go mod init hello >/dev/null 2>&1 && go build -o "$tmp/hello-go" .)
field() { python3 -c 'import json,sys; c=json.load(sys.stdin)["cases"][0]; print(c["peak_rss_bytes"]//1024, c["tree_peak_bytes"]//1024, c["tree_method"])'; }
for program in hello-go touch100; do
    for i in 1 2 3; do
        t=$(/usr/bin/time -v "$tmp/$program" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}')
        read -r v tree method < <("$versus" --db "$tmp/v.db" exec --runs 5 --format json -- "$tmp/$program" 2>/dev/null | field)
        echo "$program #$i: /usr/bin/time -v ${t} KiB, versus peak_rss ${v} KiB ($(python3 -c "print(f'{$v/$t:.4f}')")x), tree ${tree} KiB ($method)"
    done
done
memory=tests/fixtures/faults/memory/memory.py
for mode in auto sampling; do
    read -r v tree method < <(VERSUS_TREE_MEMORY=$mode "$versus" --db "$tmp/v.db" exec --runs 5 --format json -- "$python" "$memory" 2>/dev/null | field)
    echo "4 x 50 MiB children: wait4 peak_rss ${v} KiB, tree peak ${tree} KiB ($method)"
done
t=$(/usr/bin/time -v "$python" "$memory" 2>&1 | awk -F': ' '/Maximum resident/ {print $2}')
echo "4 x 50 MiB children: /usr/bin/time -v max RSS ${t} KiB (one process)"
