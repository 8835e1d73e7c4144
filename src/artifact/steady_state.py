# versus's steady-state harness: runs a Python program several times in ONE interpreter and
# reports each iteration's time, so a JIT's warm-up (PyPy) shows apart from its steady state.
# Usage: python steady_state.py TIMES_FILE ITERATIONS PROGRAM [ARGS...]
# stdin is read once and given to every iteration; stdout of the first iteration is printed
# (versus verifies it as usual) and every later iteration must print the same bytes.
import io
import os
import sys
import time

times_path, iterations, program = sys.argv[1], int(sys.argv[2]), sys.argv[3]
program_argv = sys.argv[3:]
stdin_bytes = sys.stdin.buffer.read()
with open(program, "rb") as f:
    code = compile(f.read(), program, "exec")
sys.path.insert(0, os.path.dirname(os.path.abspath(program)))
real_stdout = sys.stdout
first_output = None
times = []
for iteration in range(iterations):
    sys.argv = list(program_argv)
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin_bytes))
    captured = io.BytesIO()
    sys.stdout = io.TextIOWrapper(captured, write_through=True)
    start = time.perf_counter()
    try:
        exec(code, {"__name__": "__main__", "__file__": program, "__builtins__": __builtins__})
    except SystemExit as exit:
        if exit.code not in (None, 0):
            raise
    sys.stdout.flush()
    times.append(time.perf_counter() - start)
    output = captured.getvalue()
    if first_output is None:
        first_output = output
    elif output != first_output:
        sys.stdout = real_stdout
        sys.exit(f"iteration {iteration + 1} printed something else than the first")
sys.stdout = real_stdout
sys.stdout.buffer.write(first_output)
sys.stdout.flush()
with open(times_path, "w") as f:
    f.write("\n".join(repr(t) for t in times) + "\n")
