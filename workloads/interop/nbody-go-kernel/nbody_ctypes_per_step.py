# n-body: simulates the orbits of the Jovian planets (Sun, Jupiter, Saturn,
# Uranus, Neptune) with a simple symplectic integrator. Prints the total
# energy before and after N steps of dt = 0.01 (argument: N).
# Python sets the bodies up, computes the energies and prints them, as
# workloads/cpu/nbody/nbody.py does, and drives the steps: each of the N steps
# is its own call to `advance`, written in Go (kernel/) and built as a C shared
# library whose path versus passes in VERSUS_GO_LIBRARY, loaded here with
# ctypes. The bodies stay in one C array of doubles between the calls, so what
# this costs beyond nbody_ctypes.py (one call for all N steps) is N crossings
# of the boundary between Python and Go.
# Algorithm: The Computer Language Benchmarks Game, "n-body"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/nbody.html
# The bodies, the energy, the kernel and the C array are nbody_ctypes.py's, so the
# two programs differ only in how often they call Go.
import sys

from nbody_ctypes import (energy, from_array, jovian_planets, load_kernel,
                          offset_momentum, to_array)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    kernel = load_kernel()
    bodies = jovian_planets()
    offset_momentum(bodies)
    print(f"{energy(bodies):.9f}")
    buffer = to_array(bodies)
    for _ in range(n):
        kernel.advance(buffer, len(bodies), 1, 0.01)  # one step per call
    from_array(buffer, bodies)
    print(f"{energy(bodies):.9f}")


if __name__ == "__main__":
    main()
