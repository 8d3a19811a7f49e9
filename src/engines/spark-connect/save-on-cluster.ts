import { create } from "@bufbuild/protobuf";
import { tableToIPC, Utf8, vectorFromArray, Table } from "apache-arrow";
import { PlanSchema } from "./gen/spark/connect/base_pb.js";
import { CommandSchema, WriteOperation_SaveMode } from "./gen/spark/connect/commands_pb.js";
import { MlOperator_OperatorType } from "./gen/spark/connect/ml_common_pb.js";
import { mlCommandPlan, localRelation } from "./transport/plan.js";
import type { RemotePipelineModel } from "./remote-pipeline.js";
import { literal } from "./transport/literal.js";

/**
 * `--remote-model-path`: saves the fitted pipeline on the cluster's file system with Spark's own writers, as PySpark
 * does over Connect (PipelineModel is not on the server's allowlist): each stage through MlCommand.Write into
 * `stages/<idx>_<uid>`, and the PipelineModel's one-line metadata as a text file written by Spark.
 */
export async function saveOnCluster(remote: RemotePipelineModel, path: string, uid: string, sparkVersion: string): Promise<void> {
  const ml = remote.ml;
  const digits = String(remote.stages.length).length;
  const dir = path.replace(/\/+$/, "");
  const uids: string[] = [];
  for (const [i, s] of remote.stages.entries()) {
    const stagePath = `${dir}/stages/${String(i).padStart(digits, "0")}_${s.op.uid}`;
    uids.push(s.op.uid);
    if (s.model) await ml.write(s.model, stagePath, `saving ${s.stage.name} to ${stagePath}`);
    else {
      const params: Record<string, ReturnType<typeof literal>> = {};
      for (const p of s.op.params) params[p.name] = literal(p.value, p.type, `${s.stage.name}.${p.name}`);
      await ml.client.execute(
        mlCommandPlan({
          case: "write",
          value: {
            type: { case: "operator", value: { name: s.op.className, uid: s.op.uid, type: MlOperator_OperatorType.TRANSFORMER } },
            params: { params },
            path: stagePath,
            shouldOverwrite: true,
          },
        }),
        `saving ${s.stage.name} to ${stagePath}`,
      );
    }
  }
  const metadata = JSON.stringify({
    class: "org.apache.spark.ml.PipelineModel",
    timestamp: Date.now(),
    sparkVersion,
    uid,
    paramMap: { stageUids: uids },
    defaultParamMap: {},
  });
  const input = localRelation(tableToIPC(new Table({ value: vectorFromArray([metadata], new Utf8()) }), "stream"));
  const plan = create(PlanSchema, {
    opType: {
      case: "command",
      value: create(CommandSchema, {
        commandType: {
          case: "writeOperation",
          value: { input, source: "text", saveType: { case: "path", value: `${dir}/metadata` }, mode: WriteOperation_SaveMode.OVERWRITE },
        },
      }),
    },
  });
  await ml.client.execute(plan, `saving the pipeline metadata to ${dir}/metadata`);
}
