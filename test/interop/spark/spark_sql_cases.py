#!/usr/bin/env python3
"""Runs SQL statements through Spark's own SQLTransformer, and applies saved PipelineModels, on one small table.

  spark_sql_cases.py JOB.json

JOB.json: {"columns": [{"name", "type"}], "rows": [[...]], "cases": [{"id", "statement"}], "pipelines": [{"id", "dir"}]}
with type one of int, bigint, double, float, string, boolean. Prints {"sparkVersion", "results": {id: result}}, where
a result is {"columns": [...], "rows": [[...]]} in Spark's output order, or {"error": "<first line>"} when Spark
raises. Floats that JSON cannot carry are written as the strings "NaN", "Infinity", "-Infinity".
"""
import json
import math
import sys

from fast_local_spark import print_json, start_spark


def cell(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if hasattr(v, "is_finite"):  # decimal.Decimal
        return float(v)
    return v


def collect(df):
    return {"columns": df.columns, "rows": [[cell(v) for v in r] for r in df.collect()]}


def main():
    job = json.load(open(sys.argv[1]))
    spark, _ = start_spark("recpipe-sql-cases")
    from pyspark.ml import PipelineModel
    from pyspark.ml.feature import SQLTransformer

    schema = ", ".join("`%s` %s" % (c["name"], c["type"]) for c in job["columns"])
    # JSON has one number type: doubles written as 0 or 5 must reach Spark as floats.
    floats = [c["type"] in ("double", "float") for c in job["columns"]]
    rows = [tuple(float(v) if f and v is not None else v for v, f in zip(r, floats)) for r in job["rows"]]
    df = spark.createDataFrame(rows, schema).coalesce(1)
    results = {}
    for case in job.get("cases", []):
        try:
            results[case["id"]] = collect(SQLTransformer(statement=case["statement"]).transform(df))
        except Exception as e:  # Spark's AnalysisException, ArithmeticException, ...
            results[case["id"]] = {"error": str(e).strip().split("\n")[0][:400]}
    for p in job.get("pipelines", []):
        try:
            model = PipelineModel.load(p["dir"])
            results[p["id"]] = collect(model.transform(df))
            results[p["id"]]["stageClasses"] = [type(s).__name__ for s in model.stages]
        except Exception as e:
            results[p["id"]] = {"error": str(e).strip().split("\n")[0][:400]}
    print_json({"sparkVersion": spark.version, "results": results})


if __name__ == "__main__":
    main()
