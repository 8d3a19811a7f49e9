/**
 * Every real Spark-saved model under ../shared/data/spark-models: recpipe either loads it or refuses it by name
 * (E_UNSUPPORTED listing each class with its path; exit 2 through the CLI). What it loads must hold exactly what the
 * files hold: ALS predictions are the dot products of the stored factors, indexer labels are the data file's labels
 * (both read here independently of the model store, straight from the Parquet bytes). Skips when ../shared is absent,
 * except under CI=true, where that fails.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Table } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { readParquetBytes } from "../../src/io/write-table.js";
import { loadModel } from "../../src/model/load-model.js";
import { createRegistry } from "../../stages/index.js";
import { isStringIndexerModel } from "../../stages/string-indexer.js";
import { sharedDataDir, sharedDataPresent } from "../shared-data.js";
import { runCli } from "./run-cli.js";

const modelsDir = path.join(sharedDataDir, "spark-models");
const ALS_DIR = path.join(modelsDir, "als-ml100k-spark3.0.2");
const have = sharedDataPresent([modelsDir, ALS_DIR], "shared-spark-models.test.ts");

const modelDirs = have ? readdirSync(modelsDir).filter((d) => statSync(path.join(modelsDir, d)).isDirectory()) : [];
const TUNED = ["org.apache.spark.ml.tuning.CrossValidatorModel", "org.apache.spark.ml.tuning.TrainValidationSplitModel"];

/** Reads every data part file of a Parquet folder with parquet-wasm directly, as Spark's readers would see them. */
function readFolder(folder: string): Table[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith(".parquet"))
    .sort()
    .map((f) => readParquetBytes(readFileSync(path.join(folder, f))));
}

function classOf(stageDir: string): string {
  const meta = readdirSync(path.join(stageDir, "metadata")).find((f) => f.startsWith("part-") && !f.endsWith(".crc"))!;
  return (JSON.parse(readFileSync(path.join(stageDir, "metadata", meta), "utf8").split("\n")[0]) as { class: string }).class;
}

/** Stage folders (those with metadata/) under a model dir, walked from the files, with their relative paths. */
function stageDirs(root: string, rel = ""): { rel: string; dir: string; className: string }[] {
  const here = path.join(root, rel);
  const out = [{ rel, dir: here, className: classOf(here) }];
  const walk = (d: string, r: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === "metadata" || e.name.startsWith(".") || e.name.startsWith("_")) continue;
      const sub = path.join(d, e.name);
      const subRel = r ? `${r}/${e.name}` : e.name;
      if (existsSync(path.join(sub, "metadata"))) out.push(...stageDirs(root, subRel));
      else walk(sub, subRel);
    }
  };
  walk(here, rel);
  return out;
}

/** The classes a load needs (a tuned model needs only bestModel/) that recpipe does not implement. */
function expectedUnsupported(root: string): { className: string; rel: string }[] {
  const registry = createRegistry();
  const known = new Set([...registry.knownClasses(), "org.apache.spark.ml.PipelineModel", "org.apache.spark.ml.Pipeline", ...TUNED]);
  const tuned = TUNED.includes(classOf(root));
  return stageDirs(root)
    .filter((s) => !tuned || s.rel === "" || s.rel.startsWith("bestModel"))
    .filter((s) => !known.has(s.className));
}

describe.skipIf(!have)("real Spark-saved models under shared/data/spark-models", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "recpipe-shared-models-"));
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("there is at least one model of each kind the checks below rely on", () => {
    expect(modelDirs).toContain("als-ml100k-spark3.0.2");
    expect(modelDirs.length).toBeGreaterThanOrEqual(3);
  });

  for (const name of modelDirs) {
    const dir = path.join(modelsDir, name);

    it(`${name}: loads, or is refused naming each unsupported class and its path`, async () => {
      const unsupported = expectedUnsupported(dir);
      if (unsupported.length === 0) {
        const loaded = await loadModel(dir);
        expect(loaded.saved.className).toBe(classOf(dir));
        expect(loaded.model.stages.length).toBeGreaterThan(0);
        return;
      }
      const err = await loadModel(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe("E_UNSUPPORTED");
      const message = (err as Error).message;
      expect(message).toContain(dir);
      const lines = message.split("\n");
      for (const u of unsupported)
        expect(
          lines.some((l) => l.includes(`${u.className} (`) && l.endsWith(`${u.rel})`)),
          `${u.className} at ${u.rel}`,
        ).toBe(true);
      // Through the CLI: exit 2 with the same names, no stack trace.
      const pairs = path.join(tmp, `${name}-input.csv`);
      writeFileSync(pairs, "a,b\n1,2\n");
      const r = runCli(["predict", "--model", dir, "--input", pairs]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("classes recpipe does not implement");
      for (const u of unsupported) expect(r.stderr).toContain(`${u.className} (`);
      expect(r.stderr).not.toContain("internal error");
    });

    it(`${name}: recpipe inspect describes it (exit 0) and says whether recpipe can load it`, () => {
      const r = runCli(["inspect", dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(classOf(dir));
      const unsupported = expectedUnsupported(dir);
      if (unsupported.length === 0) expect(r.stdout).toContain("recpipe can load it");
      else {
        expect(r.stdout).toContain("recpipe cannot load it");
        for (const u of unsupported) expect(r.stdout).toContain(`${u.className} (${u.rel})`);
        // A tuned model's estimator/ is not needed to load it, so it is not listed as a blocker.
        expect(r.stdout.split("recpipe cannot load it")[1]).not.toContain("(estimator/");
      }
    });

    it(`${name}: every StringIndexerModel's labels equal its data file's labels`, async () => {
      const indexers = stageDirs(dir).filter((s) => s.className === "org.apache.spark.ml.feature.StringIndexerModel");
      for (const s of indexers) {
        const loaded = await loadModel(s.dir);
        const model = loaded.model.stages[0];
        expect(isStringIndexerModel(model)).toBe(true);
        const [data] = readFolder(path.join(s.dir, "data"));
        const raw = data.getChild("labelsArray") ?? data.getChild("labels");
        const first = raw!.get(0) as Iterable<unknown>;
        const fromFile: string[][] = data.getChild("labelsArray")
          ? [...first].map((inner) => [...(inner as Iterable<string>)])
          : [[...(first as Iterable<string>)]];
        expect(isStringIndexerModel(model) && model.labelsArray, s.rel || ".").toEqual(fromFile);
      }
    });
  }

  describe("als-ml100k-spark3.0.2 (ALSModel, rank 10, userID/movieID)", () => {
    let users: Map<number, Float32Array>;
    let items: Map<number, Float32Array>;
    const rank = 10;

    beforeAll(() => {
      const toMap = (tables: Table[]) => {
        const m = new Map<number, Float32Array>();
        for (const t of tables)
          for (let r = 0; r < t.numRows; r++) m.set(t.getChild("id")!.get(r) as number, Float32Array.from(t.getChild("features")!.get(r) as Iterable<number>));
        return m;
      };
      users = toMap(readFolder(path.join(ALS_DIR, "userFactors")));
      items = toMap(readFolder(path.join(ALS_DIR, "itemFactors")));
    });

    const dot = (u: number, i: number) => {
      const a = users.get(u)!,
        b = items.get(i)!;
      let s = 0;
      for (let r = 0; r < rank; r++) s += a[r] * b[r];
      return s;
    };

    it("the files hold 943 users and 1682 items of rank 10 (read independently)", () => {
      expect(users.size).toBe(943);
      expect(items.size).toBe(1682);
      expect(users.get(1)!.length).toBe(rank);
    });

    it("recpipe predict (CLI) gives the dot products of the stored factors, NaN for unknown ids", () => {
      const pairs: [number, number][] = [
        [1, 1],
        [1, 50],
        [943, 1682],
        [500, 300],
        [17, 999],
        [5000, 1],
        [1, 99999],
      ];
      const input = path.join(tmp, "als-pairs.csv");
      writeFileSync(input, "userID,movieID\n" + pairs.map((p) => p.join(",")).join("\n") + "\n");
      const r = runCli(["predict", "--model", ALS_DIR, "--input", input]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines[0]).toBe("userID,movieID,prediction");
      lines.slice(1).forEach((line, n) => {
        const [u, i, p] = line.split(",");
        expect([Number(u), Number(i)]).toEqual(pairs[n]);
        if (users.has(pairs[n][0]) && items.has(pairs[n][1])) expect(Math.abs(Number(p) - dot(pairs[n][0], pairs[n][1]))).toBeLessThan(1e-5);
        else expect(p).toMatch(/^(NaN|)$/);
      });
    });

    it("recpipe recommend --user 1 -k 5 --format json (CLI) is the top 5 of user 1's dot products over all items", () => {
      const r = runCli(["recommend", "--model", ALS_DIR, "--user", "1", "-k", "5", "--format", "json"]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { recommendations: { userID: number; recommendations: { movieID: number; rating: number }[] }[] };
      expect(out.recommendations).toHaveLength(1);
      expect(out.recommendations[0].userID).toBe(1);
      const want = [...items.keys()]
        .map((i) => ({ i, s: dot(1, i) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 5);
      const got = out.recommendations[0].recommendations;
      expect(got.map((x) => x.movieID)).toEqual(want.map((w) => w.i));
      got.forEach((x, j) => expect(Math.abs(x.rating - want[j].s)).toBeLessThan(1e-5));
    });
  });
});
