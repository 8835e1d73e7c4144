// kernel: the inner loop of the n-body simulation (see nbody_ctypes.py),
// exported to C so Python can call it through ctypes. advance moves the
// bodies N steps of dt with the same symplectic integrator, and the same
// order of float operations, as workloads/cpu/nbody/nbody.go.
// Build: go build -buildmode=c-shared -o libkernel.so .
package main

import "C"

import (
	"math"
	"unsafe"
)

// Body is the layout Python packs: seven float64s per body.
type Body struct {
	x, y, z, vx, vy, vz, mass float64
}

// advance runs steps steps of dt on count bodies stored at bodies, as
// x, y, z, vx, vy, vz, mass for each body in turn, updating them in place.
// The memory belongs to the caller; it is used only during the call.
//
//export advance
func advance(bodies *C.double, count C.int, steps C.longlong, dt C.double) {
	bs := unsafe.Slice((*Body)(unsafe.Pointer(bodies)), int(count))
	for range int(steps) {
		step(bs, float64(dt))
	}
}

// step does one step: velocities from pairwise gravity, then positions.
func step(bodies []Body, dt float64) {
	for i := range bodies {
		b := &bodies[i]
		for j := i + 1; j < len(bodies); j++ {
			b2 := &bodies[j]
			dx := b.x - b2.x
			dy := b.y - b2.y
			dz := b.z - b2.z
			d2 := dx*dx + dy*dy + dz*dz
			mag := dt / (d2 * math.Sqrt(d2))
			m2 := b2.mass * mag
			b.vx -= dx * m2
			b.vy -= dy * m2
			b.vz -= dz * m2
			m1 := b.mass * mag
			b2.vx += dx * m1
			b2.vy += dy * m1
			b2.vz += dz * m1
		}
	}
	for i := range bodies {
		b := &bodies[i]
		b.x += dt * b.vx
		b.y += dt * b.vy
		b.z += dt * b.vz
	}
}

// main is required by -buildmode=c-shared and never runs.
func main() {}
