"""benfred/implicit's CPU ALS (implicit.cpu.als.AlternatingLeastSquares), implicit feedback only: the library has
no explicit-feedback ALS.

Same confidence as Spark: implicit takes the matrix value as the confidence C (scaled by its own alpha), Spark
computes C = 1 + alpha*r, so the matrix holds 1 + alpha*r and implicit's alpha stays 1. Not the same objective:
implicit's regularization is a plain lambda; Spark/recpipe scale lambda by each row's rating count (ALS-WR), and
implicit solves users before items (Spark items first). Its solver is its default conjugate gradient (3 steps).
fitSeconds times model.fit alone (it includes implicit's own transpose to item-major); building the user x item
CSR beforehand is csrSeconds. OPENBLAS_NUM_THREADS=1 (the driver sets it) as implicit asks: it threads itself.
"""
import time

t_process = time.perf_counter()

import numpy as np  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from implicit.cpu.als import AlternatingLeastSquares  # noqa: E402

from tool_args import parse, report  # noqa: E402
from write_outputs import write_top10  # noqa: E402


def main():
    a = parse(__doc__)
    if a.task != "implicit":
        raise SystemExit("implicit_als.py: benfred/implicit has no explicit-feedback ALS; --task must be implicit")
    t0 = time.perf_counter()
    t = pq.read_table(f"{a.data}/train.parquet")
    user = np.asarray(t.column("user").to_numpy(), dtype=np.int64)
    item = np.asarray(t.column("item").to_numpy(), dtype=np.int64)
    rating = np.asarray(t.column("rating").to_numpy(), dtype=np.float32)
    read = time.perf_counter() - t0

    t0 = time.perf_counter()
    uid, urow = np.unique(user, return_inverse=True)
    iid, icol = np.unique(item, return_inverse=True)
    confidence = (1.0 + a.alpha * np.abs(rating)).astype(np.float32)
    user_items = sp.csr_matrix((confidence, (urow, icol)), shape=(len(uid), len(iid)), dtype=np.float32)
    csr = time.perf_counter() - t0

    model = AlternatingLeastSquares(factors=a.rank, regularization=a.reg_param, alpha=1.0, iterations=a.max_iter,
                                    num_threads=a.threads, random_state=a.seed, calculate_training_loss=False)
    t0 = time.perf_counter()
    model.fit(user_items, show_progress=False)
    fit = time.perf_counter() - t0

    t0 = time.perf_counter()
    rows = np.arange(len(uid))
    ids, _scores = model.recommend(rows, user_items, N=10, filter_already_liked_items=True)
    valid = ids >= 0
    pos = np.broadcast_to(np.arange(ids.shape[1]), ids.shape)
    write_top10(a.out, np.repeat(uid, ids.shape[1]).reshape(ids.shape)[valid], iid[ids[valid]], pos[valid])
    output = time.perf_counter() - t0
    report(tool="implicit", fitSeconds=fit, csrSeconds=csr, readSeconds=read, outputSeconds=output,
           inProcessSeconds=time.perf_counter() - t_process)


if __name__ == "__main__":
    main()
