"""Writes each benchmark data set ONCE as train/test Parquet (user int32, item int32, rating float32), so every tool
reads the same split. Deterministic: the same files for the same arguments on any machine.

  python bench/compare/prepare.py --out DIR [--datasets ml100k,lastfm,synth10m] [--shared ../shared]

Data sets:
  ml100k    MovieLens 100k u.data (explicit ratings 1..5), 100,000 rows.
  lastfm    Last.fm hetrec 2k user_artists.dat (implicit): rating = log1p(play count), 92,834 rows. Raw counts run to
            ~350k plays, which would make Spark's confidence 1 + alpha*r meaningless; log scaling is the usual fix.
  synth10m  10,000,000 synthetic (user, item) pairs, 160,000 users x 60,000 items (about MovieLens-25M's shape):
            user activity Zipf(0.6), item popularity Zipf(1.0); each user belongs to one of 50 taste groups and picks
            half of its items from its group (so held-out items are predictable, precision@10 means something);
            rating = clip(round(3.6 + u.v + 0.5*[own group] + N(0, 0.7)), 1, 5) from planted rank-10 factors.
            The explicit task uses the ratings; the implicit task the same rows with the rating as interaction strength.
Every data set: duplicate (user, item) pairs removed (Spark sums nothing, implicit's CSR would sum them), then a
seeded 80/20 random row split.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

SPLIT_SEED = 20240611
TEST_FRACTION = 0.2


def write_split(out_dir, name, user, item, rating, meta):
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(SPLIT_SEED)
    is_test = rng.random(len(user)) < TEST_FRACTION
    for part, mask in (("train", ~is_test), ("test", is_test)):
        t = pa.table({
            "user": pa.array(user[mask].astype(np.int32)),
            "item": pa.array(item[mask].astype(np.int32)),
            "rating": pa.array(rating[mask].astype(np.float32)),
        })
        pq.write_table(t, os.path.join(d, f"{part}.parquet"), compression="snappy")
    meta = dict(meta, rows=int(len(user)), trainRows=int((~is_test).sum()), testRows=int(is_test.sum()),
                users=int(len(np.unique(user))), items=int(len(np.unique(item))), splitSeed=SPLIT_SEED,
                testFraction=TEST_FRACTION)
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(f"prepare: {name}: {meta['rows']} rows ({meta['trainRows']} train / {meta['testRows']} test), "
          f"{meta['users']} users x {meta['items']} items", file=sys.stderr)


def dedupe(user, item, rating, n_items):
    """Keeps the first row of each (user, item) pair, in the original row order."""
    key = user.astype(np.int64) * n_items + item
    _, first = np.unique(key, return_index=True)
    first.sort()
    return user[first], item[first], rating[first]


def ml100k(shared):
    a = np.loadtxt(os.path.join(shared, "data/movielens-100k/u.data"), dtype=np.int64)
    user, item, rating = dedupe(a[:, 0], a[:, 1], a[:, 2].astype(np.float32), int(a[:, 1].max()) + 1)
    return user, item, rating, {"source": "movielens-100k/u.data", "task": "explicit"}


def lastfm(shared):
    a = np.loadtxt(os.path.join(shared, "data/lastfm-hetrec2011-2k/user_artists.dat"), dtype=np.int64, skiprows=1)
    user, item, weight = dedupe(a[:, 0], a[:, 1], a[:, 2], int(a[:, 1].max()) + 1)
    rating = np.log1p(weight.astype(np.float64)).astype(np.float32)
    return user, item, rating, {"source": "lastfm-hetrec2011-2k/user_artists.dat", "task": "implicit",
                                "rating": "log1p(weight)"}


def zipf_cdf(n, s):
    w = 1.0 / np.power(np.arange(1, n + 1, dtype=np.float64), s)
    c = np.cumsum(w)
    return c / c[-1]


def synthetic(n_rows, n_users=160_000, n_items=60_000, groups=50, rank=10, seed=7):
    rng = np.random.default_rng(seed)
    user_perm = rng.permutation(n_users)
    item_perm = rng.permutation(n_items)            # popularity rank -> item index
    user_group = rng.integers(0, groups, n_users)
    item_group = np.empty(n_items, dtype=np.int64)
    item_group[item_perm] = np.arange(n_items) % groups   # popularity rank r is in group r % groups
    per_group = n_items // groups
    sigma = (0.64 / rank) ** 0.25                   # u.v has standard deviation 0.8
    U = rng.normal(0, sigma, (n_users, rank)).astype(np.float32)
    V = rng.normal(0, sigma, (n_items, rank)).astype(np.float32)
    user_cdf, item_cdf, group_cdf = zipf_cdf(n_users, 0.6), zipf_cdf(n_items, 1.0), zipf_cdf(per_group, 1.0)

    want = int(n_rows * 1.5)  # oversample: duplicates are dropped below
    users, items, ratings = [], [], []
    for start in range(0, want, 2_000_000):
        m = min(2_000_000, want - start)
        u = user_perm[np.minimum(np.searchsorted(user_cdf, rng.random(m)), n_users - 1)]
        own = rng.random(m) < 0.5
        global_rank = np.minimum(np.searchsorted(item_cdf, rng.random(m)), n_items - 1)
        group_rank = np.minimum(np.searchsorted(group_cdf, rng.random(m)), per_group - 1) * groups + user_group[u]
        i = item_perm[np.where(own, group_rank, global_rank)]
        same = (item_group[i] == user_group[u]).astype(np.float32)
        r = 3.6 + np.einsum("ij,ij->i", U[u], V[i]) + 0.5 * same + rng.normal(0, 0.7, m).astype(np.float32)
        users.append(u)
        items.append(i)
        ratings.append(np.clip(np.rint(r), 1, 5).astype(np.float32))
    user, item, rating = dedupe(np.concatenate(users), np.concatenate(items), np.concatenate(ratings), n_items)
    if len(user) < n_rows:
        raise SystemExit(f"prepare: synthetic data has only {len(user)} distinct pairs; expected >= {n_rows}")
    keep = np.sort(rng.permutation(len(user))[:n_rows])
    # ids from 1, like the real data sets
    return (user[keep] + 1, item[keep] + 1, rating[keep],
            {"source": "synthetic", "task": "explicit+implicit", "generator": "bench/compare/prepare.py synthetic()",
             "seed": seed, "groups": groups, "plantedRank": rank})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--datasets", default="ml100k,lastfm,synth10m")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../shared"))
    a = ap.parse_args()
    for name in a.datasets.split(","):
        if os.path.exists(os.path.join(a.out, name, "meta.json")):
            print(f"prepare: {name}: already in {a.out}", file=sys.stderr)
            continue
        t0 = time.time()
        if name == "ml100k":
            data = ml100k(a.shared)
        elif name == "lastfm":
            data = lastfm(a.shared)
        elif name == "synth10m":
            data = synthetic(10_000_000)
        else:
            raise SystemExit(f"prepare: unknown data set {name!r}; expected ml100k, lastfm or synth10m")
        write_split(a.out, name, *data)
        print(f"prepare: {name}: {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
