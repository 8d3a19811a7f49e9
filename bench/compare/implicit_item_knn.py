"""benfred/implicit's CosineRecommender (or TFIDF/BM25) on ratings written by bench/item-knn.ts: fit, then the top N
for every user with already-liked items filtered, timed apart. Its K counts the item itself, so it is fitted with
K = k + 1 (recpipe's k excludes the item). Prints one JSON line:
{"fit": s, "recommend": s, "cpu": CPU s (all threads), "maxRssMB": peak resident MB}.
usage: implicit_item_knn.py FILE N USERS ITEMS K TOPN THREADS WEIGHTING
Input: a raw little-endian file of n int32 user indices, n int32 item indices, n float32 ratings (dense indices).
"""
import json
import os
import resource
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from implicit.nearest_neighbours import BM25Recommender, CosineRecommender, TFIDFRecommender  # noqa: E402


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    path, n, users, items, k, top_n, threads = sys.argv[1], *map(int, sys.argv[2:8])
    weighting = sys.argv[8]
    raw = np.fromfile(path, dtype=np.uint8)
    user = raw[: 4 * n].view(np.int32)
    item = raw[4 * n: 8 * n].view(np.int32)
    rating = raw[8 * n: 12 * n].view(np.float32)
    user_items = sp.csr_matrix((rating, (user, item)), shape=(users, items), dtype=np.float32)
    del raw, user, item, rating
    make = {"none": CosineRecommender, "tfidf": TFIDFRecommender, "bm25": BM25Recommender}[weighting]
    model = make(K=k + 1, num_threads=threads)
    c0 = cpu()
    t0 = time.perf_counter()
    model.fit(user_items, show_progress=False)
    t1 = time.perf_counter()
    ids, _ = model.recommend(np.arange(users), user_items, N=top_n, filter_already_liked_items=True)
    t2 = time.perf_counter()
    assert ids.shape == (users, top_n)
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"fit": t1 - t0, "recommend": t2 - t1, "cpu": cpu() - c0, "maxRssMB": max_rss_mb}))


main()
