# n-body: simulates the orbits of the Jovian planets (Sun, Jupiter, Saturn,
# Uranus, Neptune) with a simple symplectic integrator. Prints the total
# energy before and after N steps of dt = 0.01 (argument: N).
# Python sets the bodies up, computes the energies and prints them, as
# workloads/cpu/nbody/nbody.py does; the N steps run in one call to `advance`,
# written in Go (kernel/) and built as a C shared library whose path versus
# passes in VERSUS_GO_LIBRARY, loaded here with ctypes.
# Algorithm: The Computer Language Benchmarks Game, "n-body"
# https://benchmarksgame-team.pages.debian.net/benchmarksgame/description/nbody.html
import ctypes
import math
import os
import sys

PI = 3.141592653589793
SOLAR_MASS = 4 * PI * PI
DAYS_PER_YEAR = 365.24
FIELDS = ("x", "y", "z", "vx", "vy", "vz", "mass")  # the order the Go kernel expects


class Body:
    __slots__ = FIELDS

    def __init__(self, x, y, z, vx, vy, vz, mass):
        self.x, self.y, self.z = x, y, z
        self.vx, self.vy, self.vz = vx, vy, vz
        self.mass = mass


def jovian_planets():
    """The Sun and the four gas giants: positions in AU, velocities in AU/day
    (converted to AU/year), masses in solar masses (converted)."""

    def planet(x, y, z, vx, vy, vz, mass):
        return Body(x, y, z,
                    vx * DAYS_PER_YEAR, vy * DAYS_PER_YEAR, vz * DAYS_PER_YEAR,
                    mass * SOLAR_MASS)

    sun = Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS)
    jupiter = planet(
        4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
        1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
        9.54791938424326609e-04)
    saturn = planet(
        8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
        -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
        2.85885980666130812e-04)
    uranus = planet(
        1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
        2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
        4.36624404335156298e-05)
    neptune = planet(
        1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
        2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
        5.15138902046611451e-05)
    return [sun, jupiter, saturn, uranus, neptune]


def offset_momentum(bodies):
    """Give the Sun the velocity that makes the system's total momentum zero."""
    px = py = pz = 0.0
    for b in bodies:
        px += b.vx * b.mass
        py += b.vy * b.mass
        pz += b.vz * b.mass
    sun = bodies[0]
    sun.vx = -px / SOLAR_MASS
    sun.vy = -py / SOLAR_MASS
    sun.vz = -pz / SOLAR_MASS


def energy(bodies):
    """Kinetic energy minus gravitational potential energy of all pairs."""
    e = 0.0
    for i, b in enumerate(bodies):
        e += 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz)
        for b2 in bodies[i + 1:]:
            dx = b.x - b2.x
            dy = b.y - b2.y
            dz = b.z - b2.z
            distance = math.sqrt(dx * dx + dy * dy + dz * dz)
            e -= (b.mass * b2.mass) / distance
    return e


def load_kernel():
    """The Go library, with the C signature of its `advance`."""
    kernel = ctypes.CDLL(os.environ["VERSUS_GO_LIBRARY"])
    kernel.advance.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_int,
                               ctypes.c_longlong, ctypes.c_double]
    kernel.advance.restype = None
    return kernel


def to_array(bodies):
    """The bodies as a C array of doubles, in the layout the kernel expects."""
    return (ctypes.c_double * (len(FIELDS) * len(bodies)))(
        *(getattr(b, f) for b in bodies for f in FIELDS))


def from_array(buffer, bodies):
    """Copy the kernel's results back into the bodies."""
    values = iter(buffer)
    for b in bodies:
        for f in FIELDS:
            setattr(b, f, next(values))


def advance(kernel, bodies, steps, dt):
    """Run `steps` steps in Go: copy the bodies into a C array of doubles, let
    the kernel update it in place, and copy the results back."""
    buffer = to_array(bodies)
    kernel.advance(buffer, len(bodies), steps, dt)
    from_array(buffer, bodies)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    kernel = load_kernel()
    bodies = jovian_planets()
    offset_momentum(bodies)
    print(f"{energy(bodies):.9f}")
    advance(kernel, bodies, n, 0.01)
    print(f"{energy(bodies):.9f}")


if __name__ == "__main__":
    main()
