#!/usr/bin/env python3
"""Loads a recpipe model directory with PipelineModel.load and transforms the given rows with it.

  spark_pipeline_transform.py MODEL_DIR ROWS.json SCHEMA_DDL

ROWS.json: a list of row objects; SCHEMA_DDL: their Spark schema (e.g. "user STRING, item STRING, rating DOUBLE"),
so a double column stays a double (Binarizer accepts only doubles). NaN is written in ROWS.json as the string
"NaN" in a double column. Prints {"sparkVersion", "stageClasses", "rows": [...]} with every output column, rows in
input order, NaN as null.
"""
import json
import math
import sys

from fast_local_spark import json_float, print_json, start_spark


def main():
    model_dir, rows_file, ddl = sys.argv[1], sys.argv[2], sys.argv[3]
    spark, _ = start_spark("recpipe-pipeline-transform")
    from pyspark.ml import PipelineModel
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType, _parse_datatype_string

    schema = _parse_datatype_string(ddl)
    rows = json.load(open(rows_file))
    doubles = [f.name for f in schema.fields if isinstance(f.dataType, DoubleType)]
    for r in rows:
        for c in doubles:
            if r.get(c) == "NaN":
                r[c] = float("nan")
            elif r.get(c) is not None:
                r[c] = float(r[c])
    tuples = [tuple(r.get(f.name) for f in schema.fields) for r in rows]
    df = spark.createDataFrame(tuples, schema).withColumn("__order", F.monotonically_increasing_id())
    model = PipelineModel.load(model_dir)
    out = model.transform(df).orderBy("__order").drop("__order")
    result = []
    for row in out.collect():
        d = {}
        for k, v in row.asDict().items():
            d[k] = json_float(v) if isinstance(v, float) else v
        result.append(d)
    print_json({"sparkVersion": spark.version, "stageClasses": [type(s).__name__ for s in model.stages], "rows": result})
    spark.stop()


if __name__ == "__main__":
    main()
