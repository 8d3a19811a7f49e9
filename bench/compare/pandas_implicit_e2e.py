"""The job a recpipe pipeline does, written the usual Python way: pandas + scipy + benfred/implicit.

  python bench/compare/pandas_implicit_e2e.py --csv FILE --out DIR [--rank 64] [--sweeps 10] [--threads 2]

Phases, timed one by one and printed as one JSON line on stdout (seconds):
  read       pandas.read_csv of `user_id,item_id,plays` (the C parser, dtypes given)
  split      80/20 random row split (seeded), ids indexed with pandas.factorize on the training rows, the user x item
             confidence matrix (1 + alpha * plays) built as a scipy CSR
  fit        implicit.cpu.als.AlternatingLeastSquares(factors=rank, iterations=sweeps, regularization=0.1,
             num_threads=threads), conjugate gradient (its default)
  recommend  top-10 for every training user, seen items filtered (model.recommend over all users at once)
  evaluate   precision@10 on the test rows of users and items seen in training, reusing the top-10 lists above
             (Spark's precisionAtK: hits / 10, averaged over users with at least one test item)
  write      the top-10 lists with the original ids, as Parquet (pandas.DataFrame.to_parquet)
The same phases, split fraction, rank, sweeps, alpha, regParam and thread count as the recpipe pipeline that
bench/e2e-compare.ts runs beside it. OPENBLAS_NUM_THREADS=1 as implicit asks (it threads itself).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

t_process = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from implicit.cpu.als import AlternatingLeastSquares  # noqa: E402

K = 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rank", type=int, default=64)
    ap.add_argument("--sweeps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reg", type=float, default=0.1)
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t = {}

    t0 = time.perf_counter()
    df = pd.read_csv(a.csv, dtype={"user_id": np.int32, "item_id": np.int32, "plays": np.float32})
    t["read"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    rng = np.random.default_rng(a.seed)
    is_test = rng.random(len(df)) < 0.2
    train, test = df[~is_test], df[is_test]
    urow, users = pd.factorize(train["user_id"], sort=True)
    icol, items = pd.factorize(train["item_id"], sort=True)
    confidence = (1.0 + a.alpha * np.abs(train["plays"].to_numpy())).astype(np.float32)
    user_items = sp.csr_matrix((confidence, (urow, icol)), shape=(len(users), len(items)), dtype=np.float32)
    t["split"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    model = AlternatingLeastSquares(factors=a.rank, regularization=a.reg, alpha=1.0, iterations=a.sweeps,
                                    num_threads=a.threads, random_state=a.seed, calculate_training_loss=False)
    model.fit(user_items, show_progress=False)
    t["fit"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    ids, _scores = model.recommend(np.arange(len(users)), user_items, N=K, filter_already_liked_items=True)
    t["recommend"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    tu = users.get_indexer(test["user_id"])
    ti = items.get_indexer(test["item_id"])
    known = (tu >= 0) & (ti >= 0)
    tu, ti = tu[known], ti[known]
    # hits: test (user, item) pairs found in that user's top-10; distinct pairs, as RankingMetrics uses sets
    pairs = np.unique(tu.astype(np.int64) * len(items) + ti)
    tu, ti = pairs // len(items), pairs % len(items)
    hit = (ids[tu] == ti[:, None]).any(axis=1)
    per_user_hits = np.bincount(tu, weights=hit, minlength=len(users))
    has_test = np.bincount(tu, minlength=len(users)) > 0
    precision = float((per_user_hits[has_test] / K).mean())
    t["evaluate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    valid = ids >= 0
    os.makedirs(a.out, exist_ok=True)
    out = pd.DataFrame({
        "user_id": np.repeat(users.to_numpy(), K).reshape(ids.shape)[valid],
        "rank": np.tile(np.arange(1, K + 1, dtype=np.int32), len(users)).reshape(ids.shape)[valid],
        "item_id": items.to_numpy()[ids[valid]],
        "rating": _scores[valid].astype(np.float32),
    })
    out.to_parquet(os.path.join(a.out, "recommendations.parquet"), index=False)
    t["write"] = time.perf_counter() - t0

    print(json.dumps({"phases": {k: round(v, 3) for k, v in t.items()}, "precisionAtK@10": precision,
                      "trainRows": int(len(train)), "testUsers": int(has_test.sum()),
                      "inProcessSeconds": round(time.perf_counter() - t_process, 3)}))


if __name__ == "__main__":
    main()
