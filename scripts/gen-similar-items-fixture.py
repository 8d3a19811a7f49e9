"""Writes test/fixtures/similar-items-implicit.json: benfred/implicit 0.7.3's `similar_items` on fixed random item
factors, the oracle for test/stages/als/similar-items.test.ts. Run with the bench venv:
    .venv/bin/python scripts/gen-similar-items-fixture.py
implicit lists the item itself first (cosine 1); the test drops it, as recpipe never lists an item as its own
neighbour, so implicit is asked for K + 1."""
import json
import os

import numpy as np
import implicit
from implicit.cpu.als import AlternatingLeastSquares

ITEMS, RANK, K = 40, 8, 5
rng = np.random.default_rng(19)
# Norms vary a lot, so cosine and plain dot-product orders differ (a test of the normalisation, not only the kernel).
factors = (rng.standard_normal((ITEMS, RANK)) * rng.uniform(0.1, 3.0, (ITEMS, 1))).astype(np.float32)
model = AlternatingLeastSquares(factors=RANK)
model.item_factors = factors
model.user_factors = np.zeros((1, RANK), dtype=np.float32)
ids, scores = model.similar_items(np.arange(ITEMS), N=K + 1)
lists = []
for q in range(ITEMS):
    keep = [(int(i), float(s)) for i, s in zip(ids[q], scores[q]) if int(i) != q][:K]
    lists.append({"item": q, "similar": [i for i, _ in keep], "scores": [s for _, s in keep]})
out = {
    "generator": "scripts/gen-similar-items-fixture.py",
    "implicit": implicit.__version__,
    "k": K,
    "rank": RANK,
    "factors": [[float(x) for x in row] for row in factors],
    "lists": lists,
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "similar-items-implicit.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"wrote {path} ({ITEMS} items, rank {RANK}, k {K}, implicit {implicit.__version__})")
