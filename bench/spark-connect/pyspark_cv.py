"""The ML-100k CV pipeline (pipelines/movielens-100k-cv.yaml, RMSE only) written with PySpark's own Spark Connect
client, against a running Spark Connect server: upload the ratings (createDataFrame from pandas, Arrow, as recpipe
uploads), randomSplit 0.8/0.2, CrossValidator(ALS, rank [8, 16] x regParam [0.05, 0.1, 0.2], 3 folds, parallelism 2,
RMSE), the best model's RMSE on the test side, and the fitted factors and metrics brought back (what recpipe brings
back to write model/). Prints one JSON line: seconds and the metrics.

usage: python pyspark_cv.py sc://127.0.0.1:PORT /path/to/u.data [--folds 3 --ranks 8,16 --regs 0.05,0.1,0.2 --max-iter 10]
       (RECPIPE_CONNECT_PROFILE=FILE: the RPC profile too, rpc_profile.py)
"""
import json
import os
import sys
import time

t0 = time.time()
import pandas as pd  # noqa: E402
from pyspark.ml.evaluation import RegressionEvaluator  # noqa: E402
from pyspark.ml.recommendation import ALS  # noqa: E402
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

from pyspark.sql.connect.session import SparkSession as ConnectSession  # noqa: E402

# PySpark 4.0.5's Connect client runs CrossValidator's trials on worker threads that have no active session, and
# ALSModel then fails ("assert session is not None" in pyspark.ml.util). Fall back to the default session there, as
# the main thread would use: the same server calls, made from the pool's threads.
_active = ConnectSession.getActiveSession.__func__
ConnectSession.getActiveSession = classmethod(lambda cls: _active(cls) or cls._get_default_session())

url, data = sys.argv[1], sys.argv[2]
# The job's size (defaults: the pipeline file's): --folds 3 --ranks 8,16 --regs 0.05,0.1,0.2 --max-iter 10
opts = dict(zip(sys.argv[3::2], sys.argv[4::2]))
folds = int(opts.get("--folds", "3"))
ranks = [int(x) for x in opts.get("--ranks", "8,16").split(",")]
regs = [float(x) for x in opts.get("--regs", "0.05,0.1,0.2").split(",")]
max_iter = int(opts.get("--max-iter", "10"))
# RECPIPE_CONNECT_PROFILE=FILE: count every request as recpipe counts its own (rpc_profile.py), written at the end.
profile_file = os.environ.get("RECPIPE_CONNECT_PROFILE")
if profile_file:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from pyspark.sql.connect.client import DefaultChannelBuilder  # noqa: E402
    from rpc_profile import RpcProfile  # noqa: E402

    profile = RpcProfile()
    channel = DefaultChannelBuilder(url)
    channel.add_interceptor(profile)
    # What SparkSession.builder.remote() sets: pyspark.ml builds Connect-side operators only when it is there.
    os.environ["SPARK_CONNECT_MODE_ENABLED"] = "1"
    spark = ConnectSession.builder.channelBuilder(channel).getOrCreate()
else:
    spark = SparkSession.builder.remote(url).getOrCreate()
pdf = pd.read_csv(data, sep="\t", header=None, names=["user", "item", "rating", "timestamp"])
df = spark.createDataFrame(pdf)
train, test = df.randomSplit([0.8, 0.2], seed=42)
train.cache()
test.cache()
als = ALS(userCol="user", itemCol="item", ratingCol="rating", maxIter=max_iter, coldStartStrategy="drop", seed=42)
grid = ParamGridBuilder().addGrid(als.rank, ranks).addGrid(als.regParam, regs).build()
rmse = RegressionEvaluator(metricName="rmse", labelCol="rating", predictionCol="prediction")
cv = CrossValidator(estimator=als, estimatorParamMaps=grid, evaluator=rmse, numFolds=folds, parallelism=2, seed=42)
model = cv.fit(train)
best = model.bestModel
test_rmse = rmse.evaluate(best.transform(test))
users = best.userFactors.toPandas()
items = best.itemFactors.toPandas()
spark.stop()
if profile_file:
    profile.write(profile_file)
print(json.dumps({"seconds": time.time() - t0, "rmse": test_rmse, "avgMetrics": list(model.avgMetrics), "userFactors": len(users), "itemFactors": len(items)}))
