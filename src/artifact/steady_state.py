# versus's steady-state harness: runs a Python program's main() several times in ONE
# interpreter and reports each call's time, so a JIT's warm-up (PyPy) shows apart from its
# steady state. The module is executed once (not as __main__), then main() is called again and
# again in the same namespace, so the JIT keeps what it compiled; executing the module anew
# would rebind every global and throw the compiled traces away.
# Usage: python steady_state.py TIMES_FILE ITERATIONS PROGRAM [ARGS...]
# stdin is read once and given to every call; stdout of the first call is printed (versus
# verifies it as usual) and every later call must print the same bytes.
import io
import os
import sys
import time

NO_MAIN = 3

times_path, iterations, program = sys.argv[1], int(sys.argv[2]), sys.argv[3]
program_argv = sys.argv[3:]
stdin_bytes = sys.stdin.buffer.read()
sys.path.insert(0, os.path.dirname(os.path.abspath(program)))
namespace = {"__name__": "__versus_steady_state__", "__file__": program, "__builtins__": __builtins__}
with open(program, "rb") as f:
    exec(compile(f.read(), program, "exec"), namespace)
main = namespace.get("main")
if not callable(main):
    sys.stderr.write(f"{program} has no main() to call\n")
    sys.exit(NO_MAIN)

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
        main()
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
        sys.exit(f"call {iteration + 1} of main() printed something else than the first")
sys.stdout = real_stdout
sys.stdout.buffer.write(first_output)
sys.stdout.flush()
with open(times_path, "w") as f:
    f.write("\n".join(repr(t) for t in times) + "\n")
