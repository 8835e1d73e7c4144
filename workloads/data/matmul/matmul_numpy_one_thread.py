# matmul with NumPy on one BLAS thread: the same program as matmul_numpy.py (it runs
# that file's main()), with the BLAS NumPy ships (OpenBLAS) told to use a single thread
# before NumPy is imported. This is the fair match for the naive single-threaded Go loop:
# the same cores, one. On a shared 2-core machine it is also the steadier measurement:
# with two threads, a neighbour that takes one core stalls the other at every barrier
# (n = 1024 took 170-700 ms from run to run here, against 172-204 ms on one thread).
import os

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

from matmul_numpy import main  # noqa: E402  (after the thread count is set)

if __name__ == "__main__":
    main()
