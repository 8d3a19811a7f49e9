/**
 * Writes a complete ALSModel directory in Spark's MLWriter layout (metadata/part-00000 + _SUCCESS,
 * userFactors/ and itemFactors/ Parquet parts + _SUCCESS), by hand, so interop tests can feed it to real Spark
 * independently of recpipe's model store.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { factorParquetBytes, type FactorMatrix, type FactorParquetOptions } from "./als-factor-parquet.js";

export interface AlsModelDirSpec {
  uid: string;
  rank: number;
  userFactors: FactorMatrix;
  itemFactors: FactorMatrix;
  userCol?: string;
  itemCol?: string;
  coldStartStrategy?: "nan" | "drop";
  sparkVersion?: string;
  /** Fixed by default: identical input gives identical bytes. */
  timestamp?: number;
  /** Leave out defaultParamMap, as Spark < 2.4 did. */
  omitDefaultParamMap?: boolean;
  /** Number of part files each factor folder is split into (Spark writes one per partition). */
  partsPerFolder?: number;
  /** File name of part i; default `part-0000i.snappy.parquet`. */
  partFileName?: (i: number) => string;
  parquet?: FactorParquetOptions;
}

export function alsMetadataJson(spec: AlsModelDirSpec): string {
  const userCol = spec.userCol ?? "user";
  const itemCol = spec.itemCol ?? "item";
  const meta: Record<string, unknown> = {
    class: "org.apache.spark.ml.recommendation.ALSModel",
    timestamp: spec.timestamp ?? 1_700_000_000_000,
    sparkVersion: spec.sparkVersion ?? "3.5.1",
    uid: spec.uid,
    paramMap: { userCol, itemCol, blockSize: 4096, coldStartStrategy: spec.coldStartStrategy ?? "nan" },
  };
  if (!spec.omitDefaultParamMap) {
    meta.defaultParamMap = {
      userCol: "user",
      itemCol: "item",
      blockSize: 4096,
      coldStartStrategy: "nan",
      predictionCol: "prediction",
    };
  }
  meta.rank = spec.rank;
  return JSON.stringify(meta);
}

function sliceRows(m: FactorMatrix, from: number, to: number): FactorMatrix {
  return { ids: m.ids.subarray(from, to), values: m.values.subarray(from * m.rank, to * m.rank), rank: m.rank };
}

function writeFactorFolder(dir: string, m: FactorMatrix, spec: AlsModelDirSpec): void {
  mkdirSync(dir, { recursive: true });
  const parts = Math.max(1, spec.partsPerFolder ?? 1);
  const per = Math.ceil(m.ids.length / parts);
  const name = spec.partFileName ?? ((i: number) => `part-${String(i).padStart(5, "0")}.snappy.parquet`);
  for (let i = 0; i < parts; i++) {
    const rows = sliceRows(m, Math.min(i * per, m.ids.length), Math.min((i + 1) * per, m.ids.length));
    writeFileSync(path.join(dir, name(i)), factorParquetBytes(rows, spec.parquet));
  }
  writeFileSync(path.join(dir, "_SUCCESS"), "");
}

export function writeAlsModelDir(dir: string, spec: AlsModelDirSpec): void {
  mkdirSync(path.join(dir, "metadata"), { recursive: true });
  writeFileSync(path.join(dir, "metadata", "part-00000"), alsMetadataJson(spec) + "\n");
  writeFileSync(path.join(dir, "metadata", "_SUCCESS"), "");
  writeFactorFolder(path.join(dir, "userFactors"), spec.userFactors, spec);
  writeFactorFolder(path.join(dir, "itemFactors"), spec.itemFactors, spec);
}

/** Deterministic small factors: a seeded LCG, values in [-1, 1) rounded to float32. */
export function seededFactors(seed: number, ids: number[], rank: number): FactorMatrix {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
  const values = new Float32Array(ids.length * rank);
  for (let i = 0; i < values.length; i++) values[i] = next();
  return { ids: Int32Array.from(ids), values, rank };
}
