/**
 * The model fetched back from the cluster predicts what the cluster's own model predicts: the same pipeline is fitted
 * on a real Spark Connect server, Spark scores the test split, recpipe scores the same rows with the fetched-back
 * model (factors and labels, loaded through recpipe's Spark-layout loaders); predictions agree within 1e-5.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { quietContext, silentProgress } from "../../src/core/run-context.js";
import { buildPipelineStages } from "../../src/spec/build-stages.js";
import { loadPipelineFile } from "../../src/spec/load-pipeline-file.js";
import { SparkConnectClient } from "../../src/engines/spark-connect/transport/client.js";
import { fetchPipelineModel } from "../../src/engines/spark-connect/fetch-model.js";
import { SparkMl } from "../../src/engines/spark-connect/transport/ml.js";
import { sample, sql } from "../../src/engines/spark-connect/transport/plan.js";
import { remoteSource } from "../../src/engines/spark-connect/remote-data.js";
import { fitRemote } from "../../src/engines/spark-connect/remote-pipeline.js";
import { parseRemoteUrl } from "../../src/engines/spark-connect/transport/remote-url.js";
import { SPARK_LINES } from "./spark-servers.global.js";
import { serverInfo, waitForServer } from "./spark-server.js";
import { repoRoot } from "./shared-data.js";

describe.each(SPARK_LINES)("Spark %s: fetched-back model", (line) => {
  const info = serverInfo(line);
  it.runIf(!("missing" in info))(
    "quickstart (string-indexer + als): recpipe's predictions from the fetched model equal Spark's within 1e-5",
    async () => {
      const server = await waitForServer(info);
      // The quickstart's string ids exercise the indexer's labels as well as the factors.
      const loaded = await loadPipelineFile(path.join(repoRoot, "pipelines", "quickstart.yaml"), {
        set: ["source.users=400", "source.items=300", "pipeline.als.maxIter=5"],
      });
      const { spec, registry } = loaded;
      const client = await SparkConnectClient.connect(parseRemoteUrl(server.url, {}), "recpipe-test");
      const ml = new SparkMl(client);
      try {
        const data = await remoteSource(ml, spec.source, loaded.baseDir, spec.seed, silentProgress);
        const train = sample(data.relation, 0, 0.8, 11);
        const test = sample(data.relation, 0.8, 1, 11);
        const remote = await fitRemote(ml, registry, buildPipelineStages(registry, spec.pipeline, spec.seed), train, spec.seed, "");
        const testRows = await ml.collect(test, "test rows");
        const sparkPred = await ml.collect(sql("SELECT user, item, prediction FROM {p}", { p: remote.transform(test) }), "Spark's predictions");
        const model = await fetchPipelineModel(remote, registry, "pipeline_test");
        const ours = await model.transform(testRows, quietContext());
        const key = (t: typeof ours, i: number) => `${String(t.getChild("user")!.get(i))}|${String(t.getChild("item")!.get(i))}`;
        const spark = new Map<string, number>();
        for (let i = 0; i < sparkPred.numRows; i++) spark.set(key(sparkPred, i), Number(sparkPred.getChild("prediction")!.get(i)));
        expect(ours.numRows).toBe(sparkPred.numRows);
        expect(ours.numRows).toBeGreaterThan(1000);
        let worst = 0;
        for (let i = 0; i < ours.numRows; i++) {
          const s = spark.get(key(ours, i));
          expect(s, key(ours, i)).toBeDefined();
          worst = Math.max(worst, Math.abs(Number(ours.getChild("prediction")!.get(i)) - s!));
        }
        expect(worst).toBeLessThanOrEqual(1e-5);
        await remote.release();
        expect(ml.liveModels).toBe(0);
      } finally {
        await ml.releaseAll();
        await client.releaseSession();
        client.close();
      }
    },
    600_000,
  );
});
