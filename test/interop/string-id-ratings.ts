/**
 * A small deterministic rating CSV with STRING user and item ids ("u17", "it3"), low-rank structure plus noise,
 * and the pipeline YAML that fits string-indexer + als on it (optionally tuned by cross-validation).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Writes `ratings.csv` (user,item,rating) into dir; every user and item has at least one rating. */
export function writeStringIdRatings(dir: string, users: number, items: number, density: number, seed = 5): string {
  const rnd = lcg(seed);
  const uLat = Array.from({ length: users }, () => [rnd() * 2 - 1, rnd() * 2 - 1]);
  const iLat = Array.from({ length: items }, () => [rnd() * 2 - 1, rnd() * 2 - 1]);
  const lines = ["user,item,rating"];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) {
      if (!(rnd() < density || i === u % items || u === i % users)) continue;
      const score = 3 + 1.5 * (uLat[u][0] * iLat[i][0] + uLat[u][1] * iLat[i][1]) + (rnd() - 0.5) * 0.6;
      lines.push(`u${u},it${i},${Math.min(5, Math.max(1, Math.round(score)))}`);
    }
  }
  const file = path.join(dir, "ratings.csv");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/** string-indexer (user,item -> userIndex,itemIndex, handleInvalid keep) + als; `tuned` adds a 2-fold CV over a 2x2 grid. */
export function stringIdPipelineYaml(
  name: string,
  opts: { tuned?: boolean; maxIter?: number; csv?: string; tuneEvaluator?: string; oneParamMap?: boolean } = {},
): string {
  const lines = [
    `name: ${name}`,
    "seed: 11",
    `source: {path: ${opts.csv ?? "ratings.csv"}}`,
    "split: {type: random-split, weights: [0.8, 0.2]}",
    "pipeline:",
    "  - type: string-indexer",
    "    inputCols: [user, item]",
    "    outputCols: [userIndex, itemIndex]",
    "    handleInvalid: keep",
    "  - type: als",
    "    userCol: userIndex",
    "    itemCol: itemIndex",
    "    ratingCol: rating",
    "    rank: 4",
    `    maxIter: ${opts.maxIter ?? 6}`,
    "    regParam: 0.1",
    // CV folds leave some users out of training: "nan" would make every fold's RMSE NaN.
    `    coldStartStrategy: ${opts.tuned ? "drop" : "nan"}`,
    "evaluate:",
    "  - {type: regression-evaluator, metricName: rmse}",
  ];
  if (opts.tuned) {
    lines.push(
      "tune:",
      "  type: cross-validator",
      "  numFolds: 2",
      `  evaluator: ${opts.tuneEvaluator ?? "{type: regression-evaluator, metricName: rmse}"}`,
      "  paramGrid:",
      ...(opts.oneParamMap ? ["    als.regParam: [0.1]"] : ["    als.regParam: [0.05, 1.0]", "    als.rank: [3, 4]"]),
    );
  }
  return lines.join("\n") + "\n";
}
