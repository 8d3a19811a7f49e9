import { randomUUID } from "node:crypto";
import { stringify } from "yaml";

/**
 * The MLmodel file of an MLflow model of the `spark` flavor, as `mlflow.spark.log_model` writes it: `sparkml/` holds
 * the Spark PipelineModel directory, which `mlflow.spark.load_model` passes to `PipelineModel.load`. Only the spark
 * flavor: the python_function flavor needs a Python environment description (conda.yaml) that serving builds from.
 */
export function mlmodelYaml(o: { runId: string; artifactPath: string; sparkVersion?: string; now: Date }): string {
  const doc = {
    artifact_path: o.artifactPath,
    flavors: {
      spark: {
        code: null,
        model_class: "pyspark.ml.pipeline.PipelineModel",
        model_data: "sparkml",
        pyspark_version: o.sparkVersion ?? "3.5.0",
      },
    },
    model_uuid: randomUUID().replace(/-/g, ""),
    run_id: o.runId,
    utc_time_created: o.now.toISOString().replace("T", " ").replace("Z", "000"),
  };
  return stringify(doc, { lineWidth: 0 });
}
