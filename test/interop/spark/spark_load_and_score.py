#!/usr/bin/env python3
"""Loads a model directory with real Spark and scores it; prints one JSON object on stdout.

  spark_load_and_score.py MODEL_DIR --pairs PAIRS.json [--k 5] [--kind als|pipeline] [--dump-factors]

--kind als:      ALSModel.load(MODEL_DIR); pairs are [userId, itemId] ints.
--kind pipeline: PipelineModel.load(MODEL_DIR) whose last stage is an ALSModel; pairs are [userLabel, itemLabel]
                 values of the columns the StringIndexers read (or {column: value} objects).
Output keys: sparkVersion, kind, uid, rank, userCol, itemCol, predictions, recommendations, factors (with
--dump-factors: the factors exactly as Spark read them), timings (seconds).
"""
import argparse
import sys
import time

from als_json import pairs_frame, predictions_json, read_pairs, recommendations_json, factors_json
from fast_local_spark import print_json, start_spark


def als_input_columns(pipeline_model, als_model):
    """The raw columns feeding the ALS user/item columns, and the label lists that map ALS ids back to them."""
    sources = {}
    for stage in pipeline_model.stages:
        if type(stage).__name__ != "StringIndexerModel":
            continue
        if stage.isSet("inputCols"):
            ins, outs, labels = stage.getInputCols(), stage.getOutputCols(), stage.labelsArray
        else:
            ins, outs, labels = [stage.getInputCol()], [stage.getOutputCol()], [stage.labels]
        for i, o, l in zip(ins, outs, labels):
            sources[o] = (i, l)
    user = sources.get(als_model.getUserCol(), (als_model.getUserCol(), None))
    item = sources.get(als_model.getItemCol(), (als_model.getItemCol(), None))
    return user, item


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("--pairs", required=True, help="JSON file: [[user, item], ...]")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--kind", choices=["als", "pipeline"], default="als")
    ap.add_argument("--dump-factors", action="store_true")
    args = ap.parse_args(argv)
    pairs = read_pairs(args.pairs)

    spark, start_sec = start_spark("recpipe-interop-load")
    import pyspark

    t0 = time.time()
    if args.kind == "als":
        from pyspark.ml.recommendation import ALSModel

        model = ALSModel.load(args.model_dir)
        als = model
        user_src, item_src = (als.getUserCol(), None), (als.getItemCol(), None)
    else:
        from pyspark.ml import PipelineModel

        model = PipelineModel.load(args.model_dir)
        als = model.stages[-1]
        if type(als).__name__ != "ALSModel":
            raise SystemExit("%s: last pipeline stage is %s, expected ALSModel" % (args.model_dir, type(als).__name__))
        user_src, item_src = als_input_columns(model, als)
    load_sec = time.time() - t0

    t0 = time.time()
    frame = pairs_frame(spark, pairs, user_src[0], item_src[0])
    transformed = model.transform(frame)
    preds = predictions_json(transformed, user_src[0], item_src[0], als.getPredictionCol())
    transform_sec = time.time() - t0

    t0 = time.time()
    recs = recommendations_json(als, args.k, user_src[1], item_src[1])
    recommend_sec = time.time() - t0

    out = {
        "sparkVersion": pyspark.__version__,
        "kind": args.kind,
        "uid": model.uid,
        "rank": als.rank,
        "userCol": user_src[0],
        "itemCol": item_src[0],
        "predictions": preds,
        "recommendations": recs,
        "timings": {"sparkStartSec": start_sec, "loadSec": load_sec, "transformSec": transform_sec, "recommendSec": recommend_sec},
    }
    if args.dump_factors:
        out["factors"] = {"user": factors_json(als.userFactors), "item": factors_json(als.itemFactors)}
    print_json(out)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
