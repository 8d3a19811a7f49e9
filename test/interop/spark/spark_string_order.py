"""Fits Spark's StringIndexer with every stringOrderType on the labels given as JSON and prints the labelsArray of each.

usage: spark_string_order.py LABELS_JSON   (a JSON list of strings; repeats count for the frequency orders)
prints one JSON line: {"frequencyDesc": [...], "frequencyAsc": [...], "alphabetDesc": [...], "alphabetAsc": [...]}
"""
import json
import sys

from fast_local_spark import start_spark


def main():
    labels = json.loads(open(sys.argv[1], encoding="utf-8").read())
    spark, _ = start_spark("recpipe-string-order")
    from pyspark.ml.feature import StringIndexer

    df = spark.createDataFrame([(x,) for x in labels], ["s"])
    out = {}
    for order in ["frequencyDesc", "frequencyAsc", "alphabetDesc", "alphabetAsc"]:
        model = StringIndexer(inputCol="s", outputCol="i", stringOrderType=order).fit(df)
        out[order] = list(model.labelsArray[0])
    spark.stop()
    print(json.dumps(out, ensure_ascii=True))


if __name__ == "__main__":
    main()
