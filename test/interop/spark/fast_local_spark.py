"""A SparkSession tuned to start fast for tiny interop data sets (imported by the CLI scripts here).

Why each setting:
- local[2]: the CI machine has 2 cores; more threads only add scheduling overhead.
- spark.ui.enabled=false: skips starting Jetty (about a second of startup).
- shuffle partitions / default parallelism 2: the default 200 shuffle tasks dominate run time on tiny data.
- 127.0.0.1 everywhere: no host-name lookups, no traffic beyond loopback.
- No JIT tuning: -XX:TieredStopAtLevel=1 looked faster for load-and-score (25 s vs 32 s, one run under load) but
  made ALS.fit die with StackOverflowError (C1 frames are larger and ALS's RDD lineage is deep), so it is not used.
- log4j2.properties beside this file at level ERROR: stdout stays pure JSON, stderr stays quiet.
"""
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def start_spark(app_name):
    """Returns (spark, seconds_to_start). Imports pyspark lazily so --help works without it."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # Driver JVM options must reach spark-submit itself: builder .config() is applied after the JVM started.
    java_opts = "-Dlog4j2.configurationFile=file:" + os.path.join(HERE, "log4j2.properties")
    os.environ.setdefault("PYSPARK_SUBMIT_ARGS", "--driver-java-options '%s' pyspark-shell" % java_opts)
    t0 = time.time()
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark, time.time() - t0


def json_float(x):
    """JSON has no NaN: Spark's cold-start NaN predictions become null."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def print_json(obj):
    """The result is the last line of stdout, so callers can ignore anything the JVM printed before."""
    sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()
