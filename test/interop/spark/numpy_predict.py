#!/usr/bin/env python3
"""The reference answer Spark is checked against: ALS predictions as plain numpy float32 dot products.

  numpy_predict.py FACTORS.json --pairs PAIRS.json [--k 5]

FACTORS.json: {"user": {"<id>": [f, ...]}, "item": {"<id>": [f, ...]}} (the factors a test wrote).
Prints {"predictions": [{user, item, prediction|null}], "recommendations": [{user, recs: [[item, score], ...]}]},
where null marks an unknown id (Spark's coldStartStrategy=nan) and ties rank the smaller item id first.
"""
import argparse
import json
import sys

import numpy as np


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("factors")
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--k", type=int, default=5)
    args = ap.parse_args(argv)
    with open(args.factors, encoding="utf-8") as f:
        factors = json.load(f)
    with open(args.pairs, encoding="utf-8") as f:
        pairs = json.load(f)
    users = {int(k): np.asarray(v, dtype=np.float32) for k, v in factors["user"].items()}
    items = {int(k): np.asarray(v, dtype=np.float32) for k, v in factors["item"].items()}

    preds = []
    for u, i in pairs:
        known = u in users and i in items
        preds.append({"user": u, "item": i, "prediction": float(np.dot(users[u], items[i])) if known else None})

    item_ids = np.array(sorted(items), dtype=np.int64)
    item_matrix = np.stack([items[i] for i in item_ids])
    recs = []
    for u in sorted(users):
        scores = item_matrix @ users[u]
        order = np.lexsort((item_ids, -scores.astype(np.float64)))[: args.k]
        recs.append({"user": u, "recs": [[int(item_ids[j]), float(scores[j])] for j in order]})
    sys.stdout.write(json.dumps({"predictions": preds, "recommendations": recs}, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
