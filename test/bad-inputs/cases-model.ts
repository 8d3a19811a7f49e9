import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BadInputCase, CaseContext } from "./case.js";
import { PIPELINE, RATINGS_CSV, write } from "./fixtures.js";

/** Copies the fixture model into the case dir as `model/` and returns the path of its ALS stage folder. */
function copyModel(c: CaseContext): string {
  const dst = path.join(c.dir, "model");
  cpSync(c.model, dst, { recursive: true });
  const als = readdirSync(path.join(dst, "stages")).find((n) => n.includes("_als_"));
  if (!als) throw new Error("fixture model has no ALS stage");
  return path.join(dst, "stages", als);
}

export const modelCases: BadInputCase[] = [
  {
    id: "model-dir-missing",
    area: "model directory",
    input: "`--model` directory does not exist",
    setup: () => undefined,
    args: ["recommend", "--model", "nope", "--all"],
    exit: 2,
    message: ["nope", "model directory not found"],
  },
  {
    id: "model-dir-no-metadata",
    area: "model directory",
    input: "a folder that is not a saved model (no `metadata/`)",
    setup: ({ dir }) => mkdirSync(path.join(dir, "model")),
    args: ["recommend", "--model", "model", "--all"],
    exit: 2,
    message: ["model", "no metadata/ folder"],
  },
  {
    id: "model-metadata-garbage",
    area: "model directory",
    input: "model metadata that is not JSON (edited by hand: its `.crc` removed)",
    setup: (c) => {
      copyModel(c);
      writeFileSync(path.join(c.dir, "model/metadata/part-00000"), "{not json\n");
      rmSync(path.join(c.dir, "model/metadata/.part-00000.crc"));
    },
    args: ["recommend", "--model", "model", "--all"],
    exit: 2,
    message: ["model/metadata/part-00000", "JSON"],
  },
  {
    id: "model-unknown-class",
    area: "model directory",
    input: "model of a class recpipe does not implement (metadata edited by hand, `.crc` removed)",
    setup: (c) => {
      const als = copyModel(c);
      const meta = path.join(als, "metadata/part-00000");
      writeFileSync(
        meta,
        readFileSync(meta, "utf8").replace("org.apache.spark.ml.recommendation.ALSModel", "org.apache.spark.ml.classification.LogisticRegressionModel"),
      );
      rmSync(path.join(als, "metadata/.part-00000.crc"));
    },
    args: ["recommend", "--model", "model", "--all"],
    exit: 2,
    message: ["does not implement", "org.apache.spark.ml.classification.LogisticRegressionModel", "stages/1_als_"],
  },
  {
    id: "model-truncated-factors",
    area: "model directory",
    input: "truncated Parquet in a model's `userFactors/`",
    setup: (c) => {
      const dir = path.join(copyModel(c), "userFactors");
      const part = readdirSync(dir).find((n) => n.endsWith(".parquet"))!;
      const bytes = readFileSync(path.join(dir, part));
      writeFileSync(path.join(dir, part), bytes.subarray(0, bytes.length >> 1));
    },
    args: ["recommend", "--model", "model", "--all"],
    exit: 2,
    message: ["userFactors/part-", "truncated or extended after it was saved"],
  },
  {
    id: "model-truncated-factors-no-crc",
    area: "model directory",
    input: "truncated Parquet in a model's `userFactors/`, its `.crc` removed",
    setup: (c) => {
      const dir = path.join(copyModel(c), "userFactors");
      const part = readdirSync(dir).find((n) => n.endsWith(".parquet"))!;
      const bytes = readFileSync(path.join(dir, part));
      writeFileSync(path.join(dir, part), bytes.subarray(0, bytes.length >> 1));
      rmSync(path.join(dir, `.${part}.crc`));
    },
    args: ["recommend", "--model", "model", "--all"],
    exit: 2,
    message: ["userFactors", "unreadable Parquet"],
  },
  {
    id: "model-symlink-escape",
    area: "model directory",
    input: "model whose `itemFactors/` is a symlink to a folder outside it",
    setup: (c) => {
      const als = copyModel(c);
      const outside = path.join(c.dir, "elsewhere");
      cpSync(path.join(als, "itemFactors"), outside, { recursive: true });
      rmSync(path.join(als, "itemFactors"), { recursive: true });
      symlinkSync(outside, path.join(als, "itemFactors"));
    },
    args: ["recommend", "--model", "model", "--all"],
    exit: 2,
    message: ["itemFactors", "symbolic link"],
  },
  {
    id: "predict-missing-column",
    area: "model directory",
    input: "`predict` input without the column the model reads",
    setup: (c) => {
      copyModel(c);
      write(c.dir, "pairs.csv", "customer,item\nu1,i1\n");
    },
    args: ["predict", "--model", "model", "--input", "pairs.csv"],
    exit: 2,
    // Spark's StringIndexerModel skips a missing input column (with a warning), so the column ALS needs is the one missing.
    message: ["als.userCol", '"userIndex" not found', "customer, item"],
  },
  {
    id: "recommend-disk-full",
    area: "model directory",
    input: "disk full while writing recommendations (`--out /dev/full`, where every write fails with ENOSPC)",
    setup: (c) => void copyModel(c),
    args: ["recommend", "--model", "model", "--all", "--format", "csv", "--out", "/dev/full"],
    exit: 2,
    message: ["/dev/full", "no space left on device"],
  },
  {
    id: "run-disk-full",
    area: "model directory",
    input:
      "disk full while saving the run directory (simulated: the CLI runs under `ulimit -f 0`, so the kernel refuses every byte written, as on a full disk)",
    setup: ({ dir }) => {
      write(dir, "p.yaml", PIPELINE);
      write(dir, "ratings.csv", RATINGS_CSV);
    },
    shellPrefix: "ulimit -f 0",
    args: ["run", "p.yaml", "--quiet"],
    exit: 2,
    message: ["runs/", "cannot write", "file too large"],
  },
];
