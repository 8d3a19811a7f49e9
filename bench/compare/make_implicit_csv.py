"""Writes the end-to-end comparison's input once: implicit feedback as a CSV `user_id,item_id,plays`, deterministic.

  python bench/compare/make_implicit_csv.py --out FILE [--rows 10000000] [--users 200000] [--items 50000]

Shape: user activity Zipf(0.6), item popularity Zipf(1.0); each user belongs to one of 50 taste groups and draws half
of its items from its group, so held-out items are predictable and precision@10 means something. plays = 1 + a
geometric count (mean about 3). Duplicate (user, item) pairs are removed, then rows are shuffled (files are not
sorted by user in real life). Ids are integers from 1.
"""
import argparse
import os

import numpy as np


def zipf_cdf(n, s):
    w = 1.0 / np.power(np.arange(1, n + 1, dtype=np.float64), s)
    c = np.cumsum(w)
    return c / c[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--users", type=int, default=200_000)
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    groups = 50
    rng = np.random.default_rng(a.seed)
    user_perm = rng.permutation(a.users)
    item_perm = rng.permutation(a.items)
    user_group = rng.integers(0, groups, a.users)
    per_group = a.items // groups
    user_cdf, item_cdf, group_cdf = zipf_cdf(a.users, 0.6), zipf_cdf(a.items, 1.0), zipf_cdf(per_group, 1.0)
    want = int(a.rows * 1.6)
    keys = []
    for start in range(0, want, 4_000_000):
        m = min(4_000_000, want - start)
        u = user_perm[np.minimum(np.searchsorted(user_cdf, rng.random(m)), a.users - 1)]
        own = rng.random(m) < 0.5
        global_rank = np.minimum(np.searchsorted(item_cdf, rng.random(m)), a.items - 1)
        group_rank = np.minimum(np.minimum(np.searchsorted(group_cdf, rng.random(m)), per_group - 1) * groups + user_group[u], a.items - 1)
        i = item_perm[np.where(own, group_rank, global_rank)]
        keys.append(u.astype(np.int64) * a.items + i)
    key = np.unique(np.concatenate(keys))
    if len(key) < a.rows:
        raise SystemExit(f"make_implicit_csv: only {len(key)} distinct pairs; expected >= {a.rows}")
    key = key[rng.permutation(len(key))[: a.rows]]
    user = key // a.items + 1
    item = key % a.items + 1
    plays = 1 + rng.geometric(0.4, len(key)) - 1
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        f.write("user_id,item_id,plays\n")
        for s in range(0, len(key), 1_000_000):
            e = min(len(key), s + 1_000_000)
            block = np.column_stack([user[s:e], item[s:e], plays[s:e]])
            np.savetxt(f, block, fmt="%d", delimiter=",")
    os.replace(tmp, a.out)
    print(f"make_implicit_csv: {a.out}: {len(key)} rows, {len(np.unique(user))} users x {len(np.unique(item))} items")


if __name__ == "__main__":
    main()
