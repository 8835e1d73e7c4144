#!/usr/bin/env bash
# Cross-checks versus's Python/Go ratios against hyperfine on the same programs and sizes:
# hyperfine -N runs the cached Go binary and CPython on each workload's default arguments (stdin
# through `sh -c` for the workloads that read it, for both languages alike), then versus runs
# the same workloads. Needs hyperfine and a release build; PYTHON names the CPython to use.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
versus=$PWD/target/release/versus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(nbody spectral-norm binary-trees pidigits regex-redux)
# versus first: it builds the Go programs, generates the inputs, and its JSON names them.
"$versus" --db "$tmp/v.db" --python "$python" run "${workloads[@]}" --lang python,go --format json >"$tmp/v.json" 2>/dev/null || true
python3 - "$tmp" "$python" <<'PY'
import json, shlex, subprocess, sys
tmp, python = sys.argv[1], sys.argv[2]
report = json.load(open(f"{tmp}/v.json"))
for comparison in report["comparisons"]:
    if comparison["kind"] != "workload" or not comparison["contender"].startswith("cpython"):
        continue
    cases = [c for c in report["cases"] if c["group"] == comparison["group"]]
    go = next(c for c in cases if c["baseline"])
    py = next(c for c in cases if c["toolchain"] == comparison["contender"] and c["variant"] == "idiomatic" and c["label"] is None)
    commands = []
    for case in (py, go):
        command = " ".join(shlex.quote(a) for a in case["command"])
        if case["stdin"]:
            # hyperfine 1.15 has no --input: both languages go through the same sh -c.
            command = f"sh -c {shlex.quote(command + ' < ' + shlex.quote(case['stdin']))}"
        commands.append(command)
    subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", "10", "--export-json", f"{tmp}/h.json", *commands],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    h = json.load(open(f"{tmp}/h.json"))["results"]
    ratio_medians = h[0]["median"] / h[1]["median"]
    ratio_means = h[0]["mean"] / h[1]["mean"]
    sigma = ratio_means * ((h[0]["stddev"] / h[0]["mean"]) ** 2 + (h[1]["stddev"] / h[1]["mean"]) ** 2) ** 0.5
    print(f'{comparison["workload"]}: versus {comparison["ratio"]:.3g}x [{comparison["ci_low"]:.3g}, {comparison["ci_high"]:.3g}], '
          f'hyperfine {ratio_means:.3g}x ± {sigma:.2g} (means), {ratio_medians:.3g}x (medians)')
PY
