"""Top-10 per user from factor matrices, the user's training items excluded: used for Spark, whose
recommendForAllUsers has no exclude-seen option (asking it for 10 + the most items any user has seen would mean
thousands of rows per user at 10M). Exact: float32 dot products, training items masked to -inf, argpartition."""
import numpy as np
import scipy.sparse as sp

K = 10


def top10_excluding(user_ids, U, item_ids, V, train_user, train_item, chunk=1024):
    """Returns (users, items, pos) arrays of the top-10 item ids for every row of U."""
    urow = {int(u): r for r, u in enumerate(user_ids)}
    order = np.argsort(item_ids)
    icol_of = np.searchsorted(item_ids[order], train_item)
    icol = order[np.minimum(icol_of, len(order) - 1)]
    known = (icol_of < len(order)) & (item_ids[icol] == train_item)
    rows = np.fromiter((urow.get(int(u), -1) for u in train_user), dtype=np.int64, count=len(train_user))
    known &= rows >= 0
    seen = sp.csr_matrix((np.ones(int(known.sum()), dtype=np.int8), (rows[known], icol[known])),
                         shape=(len(user_ids), len(item_ids)))
    VT = np.ascontiguousarray(V.T, dtype=np.float32)
    k = min(K, len(item_ids))
    out_u, out_i, out_p = [], [], []
    for s in range(0, len(user_ids), chunk):
        e = min(len(user_ids), s + chunk)
        scores = U[s:e].astype(np.float32) @ VT
        block = seen[s:e]
        scores[np.repeat(np.arange(e - s), np.diff(block.indptr)), block.indices] = -np.inf
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        top_scores = np.take_along_axis(scores, top, axis=1)
        ranked = np.take_along_axis(top, np.argsort(-top_scores, axis=1, kind="stable"), axis=1)
        ranked_scores = np.take_along_axis(scores, ranked, axis=1)
        valid = np.isfinite(ranked_scores)
        out_u.append(np.repeat(user_ids[s:e], k).reshape(e - s, k)[valid])
        out_i.append(item_ids[ranked][valid])
        out_p.append(np.tile(np.arange(k), e - s).reshape(e - s, k)[valid])
    return np.concatenate(out_u), np.concatenate(out_i), np.concatenate(out_p)
