#!/usr/bin/env python3
"""Loads several model directories with real Spark in ONE SparkSession (one JVM start) and scores each.

  spark_load_many.py JOBS.json

JOBS.json: a list of {"name", "kind", "dir", "pairs", "k"} objects, where kind is
  als        ALSModel.load(dir); pairs are [userId, itemId] ints of the ALS columns;
  pipeline   PipelineModel.load(dir) whose last stage is an ALSModel; pairs are [userLabel, itemLabel] values of the
             columns the StringIndexers read;
  cv         CrossValidatorModel.load(dir); its bestModel must be such a PipelineModel; pairs as for pipeline.
  cv-evaluator  CrossValidatorModel.load(dir) only: the evaluator's class, metricName and k, and avgMetrics.
Prints one JSON object {name: result}. A result holds the loaded class names, predictions in input order (null = NaN),
recommendForAllUsers(k) of the ALS stage sorted by user (with labels when indexers precede it), the factors as Spark
read them, and for cv the avgMetrics and the number of estimatorParamMaps. A job Spark refuses gives
{"error": "<the exception's first lines and root causes>"} instead, so one refusal does not hide the other results.
"""
import json
import sys
import time

from als_json import factors_json, pairs_frame, predictions_json, recommendations_json
from fast_local_spark import print_json, start_spark
from spark_load_and_score import als_input_columns


def score(spark, job):
    from pyspark.ml import PipelineModel
    from pyspark.ml.recommendation import ALSModel
    from pyspark.ml.tuning import CrossValidatorModel

    out = {}
    t0 = time.time()
    if job["kind"] == "cv-evaluator":
        cv = CrossValidatorModel.load(job["dir"])
        ev = cv.getEvaluator()
        out["evaluatorClass"] = type(ev).__name__
        out["metricName"] = ev.getMetricName()
        out["k"] = ev.getK() if hasattr(ev, "getK") else None
        out["avgMetrics"] = list(cv.avgMetrics)
        return out
    if job["kind"] == "als":
        model = ALSModel.load(job["dir"])
        als = model
        user_src, item_src = (als.getUserCol(), None), (als.getItemCol(), None)
    else:
        if job["kind"] == "cv":
            cv = CrossValidatorModel.load(job["dir"])
            model = cv.bestModel
            out["avgMetrics"] = list(cv.avgMetrics)
            out["numParamMaps"] = len(cv.getEstimatorParamMaps())
            out["estimatorClass"] = type(cv.getEstimator()).__name__
            out["evaluatorClass"] = type(cv.getEvaluator()).__name__
            out["bestModelClass"] = type(model).__name__
        else:
            model = PipelineModel.load(job["dir"])
        out["stageClasses"] = [type(s).__name__ for s in model.stages]
        als = model.stages[-1]
        if type(als).__name__ != "ALSModel":
            raise ValueError("%s: last pipeline stage is %s, expected ALSModel" % (job["dir"], type(als).__name__))
        user_src, item_src = als_input_columns(model, als)
    out["loadSec"] = time.time() - t0
    out["uid"] = model.uid
    out["rank"] = als.rank
    out["userCol"], out["itemCol"] = user_src[0], item_src[0]
    frame = pairs_frame(spark, job["pairs"], user_src[0], item_src[0])
    out["predictions"] = predictions_json(model.transform(frame), user_src[0], item_src[0], als.getPredictionCol())
    out["recommendations"] = recommendations_json(als, job["k"], user_src[1], item_src[1])
    out["factors"] = {"user": factors_json(als.userFactors), "item": factors_json(als.itemFactors)}
    return out


def main(argv):
    if len(argv) != 1:
        raise SystemExit(__doc__)
    with open(argv[0], "r", encoding="utf-8") as f:
        jobs = json.load(f)
    spark, start_sec = start_spark("recpipe-interop-load-many")
    import pyspark

    results = {"sparkVersion": pyspark.__version__, "sparkStartSec": start_sec}
    for job in jobs:
        try:
            results[job["name"]] = score(spark, job)
        except Exception as e:  # noqa: BLE001 - report Spark's refusal as data; the test decides
            lines = str(e).splitlines()
            # The first lines, and the root cause where Spark wraps it deep in the trace (a checksum failure does).
            causes = [l for l in lines[6:] if "Caused by:" in l or "Checksum" in l]
            results[job["name"]] = {"error": "\n".join(lines[:6] + causes[:6])}
    print_json(results)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
