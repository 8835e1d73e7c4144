module versus/workloads/interop/nbody-go-kernel/kernel

go 1.22
