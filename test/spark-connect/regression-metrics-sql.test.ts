/**
 * The train and test regression metrics of a remote run come from ONE Spark job (regression-metrics-sql.ts): its
 * formulas give what the local kernel (Spark's RegressionMetrics) gives on the same rows, and, on a real Spark Connect
 * server, what Spark's own RegressionEvaluator gives for every metric, side by side, including NaN predictions.
 */
import { describe, expect, it } from "vitest";
import { regressionMetric, type RegressionMetricName } from "../../src/kernels/regression-metrics.js";
import { inOneJob, metricFromSums, regressionMetricsBySide } from "../../src/engines/spark-connect/regression-metrics-sql.js";
import { evaluatorOperator } from "../../src/engines/spark-connect/remote-pipeline.js";
import { SparkConnectClient } from "../../src/engines/spark-connect/transport/client.js";
import { SparkMl } from "../../src/engines/spark-connect/transport/ml.js";
import { sql } from "../../src/engines/spark-connect/transport/plan.js";
import { parseRemoteUrl } from "../../src/engines/spark-connect/transport/remote-url.js";
import { buildEvaluators } from "../../src/spec/build-stages.js";
import { validateSpec } from "../../src/spec/spec.js";
import { createRegistry } from "../../stages/index.js";
import { serverInfo, waitForServer } from "./spark-server.js";

const METRICS: RegressionMetricName[] = ["rmse", "mse", "mae", "r2", "var"];
const registry = createRegistry();

function evaluatorsOf(evaluate: Record<string, unknown>[]) {
  const spec = validateSpec({ name: "m", source: { path: "unused.csv" }, pipeline: [{ type: "als" }], evaluate }, registry);
  return buildEvaluators(registry, spec.evaluate, 1);
}

/** Close in relative terms: the sums run in another order than Spark's summarizer. */
function expectSame(got: number, want: number, label: string) {
  if (Number.isNaN(want)) return expect(got, label).toBeNaN();
  expect(Math.abs(got - want), `${label}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
}

describe("regression metrics from sums", () => {
  it("join the one job for unweighted regression evaluators only (the remote mapping's capability)", () => {
    const [plain, weighted, ranking] = evaluatorsOf([
      { type: "regression-evaluator", metricName: "mae" },
      { type: "regression-evaluator", metricName: "rmse", weightCol: "w" },
      { type: "ranking-evaluator", metricName: "ndcgAtK", k: 5 },
    ]);
    expect([plain, weighted, ranking].map((ev) => inOneJob(registry, ev))).toEqual([true, false, false]);
  });

  it("equal the local kernel's (Spark's RegressionMetrics) for every metric, with and without throughOrigin", () => {
    let s = 7;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const n of [1, 2, 5, 1000]) {
      const y = Float64Array.from({ length: n }, () => 1 + Math.floor(rnd() * 5));
      const p = Float64Array.from({ length: n }, (_, i) => y[i] + (rnd() - 0.5) * 2);
      const sums = { sse: 0, sae: 0, sy: 0, syy: 0, sp: 0, spp: 0 };
      for (let i = 0; i < n; i++) {
        const e = y[i] - p[i];
        sums.sse += e * e;
        sums.sae += Math.abs(e);
        sums.sy += y[i];
        sums.syy += y[i] * y[i];
        sums.sp += p[i];
        sums.spp += p[i] * p[i];
      }
      for (const m of METRICS)
        for (const origin of [false, true]) {
          const want = regressionMetric(m, y, p, undefined, origin);
          const got = metricFromSums(m, origin, n, sums);
          if (!Number.isFinite(want)) expect(got, `${m} n=${n}`).toBe(want);
          else expect(Math.abs(got - want), `${m} n=${n} throughOrigin=${origin}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        }
    }
  });
});

const info = serverInfo("4.0");
describe.runIf(!("missing" in info))("Spark 4.0: one job for both sides", () => {
  it("gives Spark's RegressionEvaluator values on each side, every metric, NaN predictions included, and each side's rows", async () => {
    const server = await waitForServer(info);
    const client = await SparkConnectClient.connect(parseRemoteUrl(server.url, {}), "recpipe-test");
    const ml = new SparkMl(client);
    try {
      // Float predictions (as ALS gives) against integer-valued ratings; the third side has one NaN prediction.
      const sideOf = (seed: number, rows: number, nanAt = -1) =>
        sql(
          `SELECT CAST(1 + floor(rand(${seed}) * 5) AS FLOAT) AS rating, ` +
            `CAST(CASE WHEN id = ${nanAt} THEN double('NaN') ELSE 1 + rand(${seed + 1}) * 4 END AS FLOAT) AS prediction FROM range(${rows})`,
        );
      const sides = { train: sideOf(1, 3000), test: sideOf(3, 700), cold: sideOf(5, 50, 17) };
      for (const throughOrigin of [false, true]) {
        const evaluators = evaluatorsOf(METRICS.map((metricName) => ({ type: "regression-evaluator", metricName, throughOrigin })));
        const got = await regressionMetricsBySide(ml, evaluators, sides, "test metrics");
        expect(got.train.rows).toBe(3000);
        expect(got.test.rows).toBe(700);
        expect(got.cold.rows).toBe(50);
        for (const ev of evaluators)
          for (const [name, rel] of Object.entries(sides)) {
            const want = await ml.evaluate(evaluatorOperator(registry, ev, 1), rel, "spark's evaluator");
            if (name === "cold") expect(want, `Spark's ${ev.metricKey} with a NaN prediction`).toBeNaN();
            expectSame(got[name].metrics[ev.metricKey], want, `${name} ${ev.metricKey} throughOrigin=${throughOrigin}`);
          }
      }
      // A side with no rows (every test row a dropped cold start) has NaN metrics and 0 rows, not an error.
      const empty = await regressionMetricsBySide(
        ml,
        evaluatorsOf([{ type: "regression-evaluator" }]),
        { train: sideOf(1, 10), test: sql("SELECT * FROM {t} WHERE false", { t: sideOf(1, 10) }) },
        "empty side",
      );
      expect(empty.test.rows).toBe(0);
      expect(empty.test.metrics.rmse).toBeNaN();
      expect(empty.train.rows).toBe(10);
      expect(Number.isFinite(empty.train.metrics.rmse)).toBe(true);
    } finally {
      await client.releaseSession();
      client.close();
    }
  }, 300_000);
});
