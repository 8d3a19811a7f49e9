"""The ONE evaluator for every tool in bench/compare: the metric is the same numpy code whatever produced the output.

  python bench/compare/evaluate.py --task explicit --data DIR --out TOOL_OUT   -> RMSE of TOOL_OUT/predictions.parquet
  python bench/compare/evaluate.py --task implicit --data DIR --out TOOL_OUT   -> precision@10 of TOOL_OUT/top10.parquet
Prints one JSON object on stdout.

explicit: predictions.parquet (a file or a folder of part files) holds user, item, prediction for the test rows.
  RMSE runs over the test rows whose user AND item occur in train (Spark's coldStartStrategy "drop"); each of those
  rows must have a finite prediction, or the evaluation fails (a tool cannot win by skipping rows).
implicit: top10.parquet holds user, item (and pos) for up to 10 recommendations per user, training items excluded.
  precision@10 = mean over users with >= 1 test item who occur in train of |top10 & test items| / 10 (test items
  unseen in train count as misses for every tool alike). A user missing from the output scores 0; recommending a
  training item of that user is reported (leakedTrainItems) and fails the evaluation.
"""
import argparse
import json
import os
import sys

import numpy as np
import pyarrow.parquet as pq

K = 10


def ids(path, names):
    t = pq.read_table(path, columns=names)
    return [np.asarray(t.column(n).to_numpy(), dtype=np.int64) for n in names]


def pair_keys(user, item, n_items):
    return user.astype(np.int64) * n_items + item.astype(np.int64)


def rmse(data, out):
    tu, ti = ids(os.path.join(data, "train.parquet"), ["user", "item"])
    test = pq.read_table(os.path.join(data, "test.parquet"))
    su, si = (np.asarray(test.column(c).to_numpy(), dtype=np.int64) for c in ("user", "item"))
    sr = np.asarray(test.column("rating").to_numpy(), dtype=np.float64)
    keep = np.isin(su, tu) & np.isin(si, ti)
    p = pq.read_table(os.path.join(out, "predictions.parquet"), columns=["user", "item", "prediction"])
    pu, pi = (np.asarray(p.column(c).to_numpy(), dtype=np.int64) for c in ("user", "item"))
    pv = np.asarray(p.column("prediction").to_numpy(zero_copy_only=False), dtype=np.float64)
    n_items = int(max(si.max(), pi.max() if len(pi) else 0, ti.max())) + 1
    want = pair_keys(su[keep], si[keep], n_items)
    have = pair_keys(pu, pi, n_items)
    order = np.argsort(have, kind="stable")
    pos = np.searchsorted(have[order], want)
    pos = np.minimum(pos, len(have) - 1)
    found = have[order][pos] == want
    pred = np.where(found, pv[order][pos], np.nan)
    missing = int((~np.isfinite(pred)).sum())
    if missing:
        raise SystemExit(f"evaluate: {out}: {missing} of {len(want)} evaluable test rows have no finite prediction")
    err = pred - sr[keep]
    return {"rmse": float(np.sqrt(np.mean(err * err))), "evaluatedRows": int(keep.sum()), "testRows": int(len(su)),
            "coldStartRowsDropped": int((~keep).sum())}


def precision_at_k(data, out):
    tu, ti = ids(os.path.join(data, "train.parquet"), ["user", "item"])
    su, si = ids(os.path.join(data, "test.parquet"), ["user", "item"])
    ru, ri = ids(os.path.join(out, "top10.parquet"), ["user", "item"])
    n_items = int(max(ti.max(), si.max(), ri.max() if len(ri) else 0)) + 1
    users = np.unique(su[np.isin(su, tu)])            # evaluated users
    per_user = np.bincount(np.searchsorted(users, ru[np.isin(ru, users)]), minlength=len(users))
    if per_user.max(initial=0) > K:
        raise SystemExit(f"evaluate: {out}: a user has {per_user.max()} recommendations; expected at most {K}")
    rec = np.isin(ru, users)
    rec_keys = pair_keys(ru[rec], ri[rec], n_items)
    leaked = int(np.isin(rec_keys, pair_keys(tu, ti, n_items)).sum())
    if leaked:
        raise SystemExit(f"evaluate: {out}: {leaked} recommendations are training items of their user")
    hit = np.isin(rec_keys, pair_keys(su, si, n_items))
    hits_per_user = np.bincount(np.searchsorted(users, ru[rec][hit]), minlength=len(users))
    return {"precisionAt10": float(np.mean(hits_per_user / K)), "evaluatedUsers": int(len(users)),
            "usersWithoutRecommendations": int(len(users) - len(np.unique(ru[rec]))),
            "recommendations": int(rec.sum())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", choices=["explicit", "implicit"], required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    result = rmse(a.data, a.out) if a.task == "explicit" else precision_at_k(a.data, a.out)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
