"""The pandas twin of bench/prepare.ts: the same four steps on the same CSV, written the usual pandas way.

  python bench/prepare_pandas.py RATINGS.csv [--skip sql-transformer]

read_csv with na_values=["N/A"] (timed apart), then dropna(subset=["rating"]), df[df.timestamp >= 0], a stable sort
by timestamp + drop_duplicates(["user_id", "item_id"], keep="last") restored to file order (recpipe keeps file
order), and the iterative 5-core (groupby transform("size") filters until nothing changes). Prints the wall seconds
and rows per step, the peak RSS, and `counts [...]` for bench/prepare.ts to compare.
"""
import json
import resource
import sys
import time

import pandas as pd


def main():
    csv = sys.argv[1]
    skip = sys.argv[sys.argv.index("--skip") + 1].split(",") if "--skip" in sys.argv else []
    t0 = time.perf_counter()
    df = pd.read_csv(csv, na_values=["N/A"], keep_default_na=False, dtype={"user_id": "int32", "item_id": "int32", "rating": "float64", "timestamp": "int64"})
    print(f"pandas read {time.perf_counter() - t0:.3f} s, {len(df)} rows")
    counts = []
    total = time.perf_counter()

    def step(name, fn):
        nonlocal df
        if name in skip:
            return
        t = time.perf_counter()
        df = fn(df)
        counts.append(len(df))
        print(f"pandas {name} {time.perf_counter() - t:.3f} s -> {len(df)} rows")

    step("drop-na", lambda d: d.dropna(subset=["rating"]))
    step("sql-transformer", lambda d: d[d["timestamp"] >= 0])
    step("drop-duplicates", lambda d: d.sort_values("timestamp", kind="stable").drop_duplicates(["user_id", "item_id"], keep="last").sort_index())

    def k_core(d):
        while True:
            keep = (d.groupby("user_id")["user_id"].transform("size") >= 5) & (d.groupby("item_id")["item_id"].transform("size") >= 5)
            if keep.all():
                return d
            d = d[keep]

    step("min-count-filter", k_core)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pandas prepare total {time.perf_counter() - total:.3f} s; peak RSS {peak:.0f} MB")
    print("counts " + json.dumps(counts).replace(" ", ""))


if __name__ == "__main__":
    main()
