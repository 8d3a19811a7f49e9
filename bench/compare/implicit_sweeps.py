"""Seconds per ALS sweep of benfred/implicit's CPU ALS on ratings written by bench/als-vs-implicit.ts.

Input: a raw little-endian file of n int32 user indices, n int32 item indices, n float32 ratings (dense indices).
The matrix holds the confidence 1 + alpha*|r| (Spark's and recpipe's C), implicit's own alpha stays 1; its solver is
its default conjugate gradient (3 steps). One sweep = implicit's iteration (users then items); the fit callback
stamps each with the wall clock and the process's CPU time (all threads). Prints one JSON line:
{"sweeps": [seconds, ...], "cpu": [CPU seconds, ...]}.
usage: implicit_sweeps.py FILE N USERS ITEMS RANK THREADS SWEEPS
"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # implicit asks for it: it threads itself

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from implicit.cpu.als import AlternatingLeastSquares  # noqa: E402


def main():
    path, n, users, items, rank, threads, sweeps = sys.argv[1], *map(int, sys.argv[2:8])
    raw = np.fromfile(path, dtype=np.uint8)
    user = raw[: 4 * n].view(np.int32)
    item = raw[4 * n: 8 * n].view(np.int32)
    rating = raw[8 * n: 12 * n].view(np.float32)
    confidence = (1.0 + np.abs(rating)).astype(np.float32)
    user_items = sp.csr_matrix((confidence, (user, item)), shape=(users, items), dtype=np.float32)
    model = AlternatingLeastSquares(factors=rank, regularization=0.1, alpha=1.0, iterations=sweeps,
                                    num_threads=threads, random_state=1, calculate_training_loss=False)
    stamps = []
    cpu_stamps = []

    def stamp(*_):
        stamps.append(time.perf_counter())
        cpu_stamps.append(time.process_time())

    t0 = time.perf_counter()
    c0 = time.process_time()
    model.fit(user_items, show_progress=False, callback=stamp)
    sweep_times = [b - a for a, b in zip([t0] + stamps[:-1], stamps)]
    cpu_times = [b - a for a, b in zip([c0] + cpu_stamps[:-1], cpu_stamps)]
    print(json.dumps({"sweeps": sweep_times, "cpu": cpu_times}))


if __name__ == "__main__":
    main()
