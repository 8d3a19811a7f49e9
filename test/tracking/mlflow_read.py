#!/usr/bin/env python3
"""What MLflow's own Python client reads back from the tracking server; prints one JSON object on stdout.

  mlflow_read.py EXPERIMENT_NAME [--predict RUN_ID PAIRS.csv]

Output: runs (each: id, name, status, params, metrics, tags, artifacts (recursive paths), history of every
*.training_loss metric as [step, value]); with --predict: the predictions of mlflow.spark.load_model("runs:/ID/model")
on the pairs (the CSV's columns as the pipeline's first stage reads them), in the CSV's row order.
Reads MLFLOW_TRACKING_URI from the environment, as every MLflow client does.
"""
import json
import os
import sys

from mlflow.tracking import MlflowClient


def artifacts(client, run_id, path=None):
    out = []
    for a in client.list_artifacts(run_id, path):
        out.extend(artifacts(client, run_id, a.path) if a.is_dir else [a.path])
    return out


def main():
    exp_name = sys.argv[1]
    client = MlflowClient()
    exp = client.get_experiment_by_name(exp_name)
    result = {"experimentId": exp.experiment_id if exp else None, "runs": []}
    if exp:
        for r in client.search_runs([exp.experiment_id], max_results=1000):
            loss = {k: [[m.step, m.value] for m in client.get_metric_history(r.info.run_id, k)] for k in r.data.metrics if k.endswith("training_loss")}
            result["runs"].append({
                "id": r.info.run_id, "name": r.info.run_name, "status": r.info.status,
                "params": r.data.params, "metrics": r.data.metrics, "tags": r.data.tags,
                "artifacts": artifacts(client, r.info.run_id), "lossHistory": loss,
            })
    if "--predict" in sys.argv:
        i = sys.argv.index("--predict")
        run_id, pairs = sys.argv[i + 1], sys.argv[i + 2]
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop", "spark"))
        from fast_local_spark import start_spark
        import mlflow.spark
        spark, _ = start_spark("recpipe-mlflow-load")
        model = mlflow.spark.load_model(f"runs:/{run_id}/model")
        df = spark.read.csv(pairs, header=True, inferSchema=False)
        rows = df.collect()
        pred = model.transform(df).collect()
        key = lambda r: (r["user"], r["item"])
        by = {key(r): float(r["prediction"]) for r in pred}
        result["modelStages"] = [type(s).__name__ for s in model.stages]
        result["predictions"] = [by.get(key(r)) for r in rows]
    json.dump(result, sys.stdout, allow_nan=True)


main()
