"""Apache Spark's ALS (pyspark, local[threads]) on prepare.py's split.

fitSeconds times ALS.fit alone: the JVM is already up and the training DataFrame is read, cached and counted
before the clock starts (ALS.fit is eager: it materializes both factor RDDs before returning).
jvmStartSeconds is SparkSession start-up. Explicit: predictions by model.transform(test) (coldStartStrategy nan),
written by Spark. Implicit: Spark's ALS cannot exclude training items from recommendForAllUsers, so the top-10 is
computed from Spark's factors by topk_numpy.py (exact, training items masked).
"""
import os
import time

t_process = time.perf_counter()

import numpy as np  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from pyspark.ml.recommendation import ALS  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

from tool_args import parse, report  # noqa: E402
from topk_numpy import top10_excluding  # noqa: E402
from write_outputs import write_top10  # noqa: E402


def factors(path):
    t = pq.read_table(path)
    ids = np.asarray(t.column("id").to_numpy(), dtype=np.int64)
    f = np.asarray(t.column("features").combine_chunks().flatten().to_numpy(), dtype=np.float32).reshape(len(ids), -1)
    order = np.argsort(ids)
    return ids[order], f[order]


def main():
    a = parse(__doc__)
    os.makedirs(a.out, exist_ok=True)
    t0 = time.perf_counter()
    spark = (SparkSession.builder.master(f"local[{a.threads}]").appName("recpipe-bench-compare")
             .config("spark.driver.memory", a.driver_memory)
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    jvm_start = time.perf_counter() - t0

    t0 = time.perf_counter()
    train = spark.read.parquet(os.path.join(a.data, "train.parquet")).cache()
    train.count()
    read = time.perf_counter() - t0

    als = ALS(rank=a.rank, maxIter=a.max_iter, regParam=a.reg_param, alpha=a.alpha,
              implicitPrefs=a.task == "implicit", seed=a.seed, userCol="user", itemCol="item", ratingCol="rating",
              coldStartStrategy="nan")
    t0 = time.perf_counter()
    model = als.fit(train)
    fit = time.perf_counter() - t0

    t0 = time.perf_counter()
    if a.task == "explicit":
        test = spark.read.parquet(os.path.join(a.data, "test.parquet"))
        (model.transform(test).select("user", "item", "prediction")
         .write.mode("overwrite").parquet(os.path.join(a.out, "predictions.parquet")))
    else:
        model.userFactors.write.mode("overwrite").parquet(os.path.join(a.out, "userFactors"))
        model.itemFactors.write.mode("overwrite").parquet(os.path.join(a.out, "itemFactors"))
        uid, U = factors(os.path.join(a.out, "userFactors"))
        iid, V = factors(os.path.join(a.out, "itemFactors"))
        t = pq.read_table(os.path.join(a.data, "train.parquet"), columns=["user", "item"])
        write_top10(a.out, *top10_excluding(uid, U, iid, V, t.column("user").to_numpy(), t.column("item").to_numpy()))
    output = time.perf_counter() - t0
    spark.stop()
    report(tool="spark", fitSeconds=fit, jvmStartSeconds=jvm_start, readSeconds=read, outputSeconds=output,
           inProcessSeconds=time.perf_counter() - t_process)


if __name__ == "__main__":
    main()
