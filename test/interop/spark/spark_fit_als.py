#!/usr/bin/env python3
"""Fits pyspark.ml.recommendation.ALS on a small deterministic rating set and saves what Spark writes.

  spark_fit_als.py OUT_DIR [--implicit] [--seed N] [--rank N] [--max-iter N] [--reg-param X] [--alpha X]
                   [--nonnegative] [--blocks N] [--ratings CSV] [--users N] [--items N] [--density X]
                   [--pairs PAIRS.json] [--k N]

Writes OUT_DIR/ratings.csv (user,item,rating: the exact training data, so recpipe can fit the same set),
OUT_DIR/model (ALSModel on int ids) and OUT_DIR/pipeline (PipelineModel: StringIndexer userId -> user,
StringIndexer itemId -> item, both handleInvalid=keep, then ALS; string ids are "u<id>" / "i<id>").
Prints one JSON object: params, predictions for the pairs (int ids) from both models, recommendForAllUsers(k)
of the ALSModel and of the pipeline's ALS stage (with userLabel/itemLabels), timings.
"""
import argparse
import csv
import os
import sys
import time

from als_json import pairs_frame, predictions_json, read_pairs, recommendations_json
from fast_local_spark import print_json, start_spark


def generate_ratings(seed, users, items, density, implicit):
    """Low-rank structure plus noise, so ALS has something to find; every user and item gets at least one rating."""
    import numpy as np

    rng = np.random.default_rng(seed)
    u_lat, i_lat = rng.normal(size=(users, 3)), rng.normal(size=(items, 3))
    rows = []
    for u in range(users):
        for i in range(items):
            if not (rng.random() < density or i == u % items or u == i % users):
                continue
            score = float(u_lat[u] @ i_lat[i]) + rng.normal(scale=0.3)
            if implicit:
                rows.append((u, i, float(max(1, int(round(2 * abs(score) + 1))))))
            else:
                rows.append((u, i, float(min(5, max(1, int(round(3 + score)))))))
    return rows


def read_ratings(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [(int(r["user"]), int(r["item"]), float(r["rating"])) for r in csv.DictReader(f)]


def write_ratings(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["user", "item", "rating"])
        for u, i, r in rows:
            w.writerow([u, i, repr(r)])


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--implicit", action="store_true")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--rank", type=int, default=4)
    ap.add_argument("--max-iter", type=int, default=10)
    ap.add_argument("--reg-param", type=float, default=0.1)
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--nonnegative", action="store_true")
    ap.add_argument("--blocks", type=int, default=2, help="numUserBlocks = numItemBlocks")
    ap.add_argument("--ratings", help="CSV with header user,item,rating (ints, ints, numbers)")
    ap.add_argument("--users", type=int, default=30)
    ap.add_argument("--items", type=int, default=40)
    ap.add_argument("--density", type=float, default=0.3)
    ap.add_argument("--pairs", help="JSON [[user, item], ...] to score; default: a few seen pairs and cold ids")
    ap.add_argument("--k", type=int, default=5)
    args = ap.parse_args(argv)

    rows = read_ratings(args.ratings) if args.ratings else generate_ratings(
        args.seed, args.users, args.items, args.density, args.implicit)
    max_user, max_item = max(r[0] for r in rows), max(r[1] for r in rows)
    pairs = read_pairs(args.pairs) if args.pairs else [
        [rows[0][0], rows[0][1]], [rows[-1][0], rows[-1][1]], [0, max_item], [max_user + 1, 0], [0, max_item + 1]]
    os.makedirs(args.out_dir, exist_ok=True)
    write_ratings(os.path.join(args.out_dir, "ratings.csv"), rows)

    spark, start_sec = start_spark("recpipe-interop-fit")
    import pyspark
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import StringIndexer
    from pyspark.ml.recommendation import ALS

    def make_als():
        return ALS(userCol="user", itemCol="item", ratingCol="rating", rank=args.rank, maxIter=args.max_iter,
                   regParam=args.reg_param, alpha=args.alpha, implicitPrefs=args.implicit,
                   nonnegative=args.nonnegative, numUserBlocks=args.blocks, numItemBlocks=args.blocks,
                   seed=args.seed, coldStartStrategy="nan")

    ratings = spark.createDataFrame(rows, "user int, item int, rating double")
    t0 = time.time()
    model = make_als().fit(ratings)
    fit_sec = time.time() - t0
    model.write().overwrite().save(os.path.join(args.out_dir, "model"))

    labelled = ratings.selectExpr("concat('u', user) AS userId", "concat('i', item) AS itemId", "rating")
    pipeline = Pipeline(stages=[
        StringIndexer(inputCol="userId", outputCol="user", handleInvalid="keep"),
        StringIndexer(inputCol="itemId", outputCol="item", handleInvalid="keep"),
        make_als(),
    ])
    t0 = time.time()
    pipeline_model = pipeline.fit(labelled)
    pipeline_fit_sec = time.time() - t0
    pipeline_model.write().overwrite().save(os.path.join(args.out_dir, "pipeline"))

    preds = predictions_json(model.transform(pairs_frame(spark, pairs, "user", "item")), "user", "item", "prediction")
    label_pairs = [["u%d" % u, "i%d" % i] for u, i in pairs]
    pipeline_preds = predictions_json(
        pipeline_model.transform(pairs_frame(spark, label_pairs, "userId", "itemId")), "userId", "itemId", "prediction")

    print_json({
        "sparkVersion": pyspark.__version__,
        "params": {"rank": args.rank, "maxIter": args.max_iter, "regParam": args.reg_param, "alpha": args.alpha,
                   "implicitPrefs": args.implicit, "nonnegative": args.nonnegative, "seed": args.seed,
                   "numBlocks": args.blocks},
        "numRatings": len(rows),
        "modelDir": os.path.join(args.out_dir, "model"),
        "pipelineDir": os.path.join(args.out_dir, "pipeline"),
        "ratingsCsv": os.path.join(args.out_dir, "ratings.csv"),
        "pairs": pairs,
        "predictions": preds,
        "pipelinePredictions": pipeline_preds,
        "recommendations": recommendations_json(model, args.k),
        "pipelineRecommendations": recommendations_json(
            pipeline_model.stages[-1], args.k, pipeline_model.stages[0].labels, pipeline_model.stages[1].labels),
        "timings": {"sparkStartSec": start_sec, "fitSec": fit_sec, "pipelineFitSec": pipeline_fit_sec},
    })
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
