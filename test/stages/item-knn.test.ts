import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeVector, Table } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { quietContext } from "../../src/core/run-context.js";
import { hasSimilarItems } from "../../src/core/similar-items.js";
import { isRecommender } from "../../src/core/stage.js";
import { loadSavedStage, saveModel } from "../../src/io/model-store.js";
import { createRegistry } from "../../stages/index.js";
import { itemKnn } from "../../stages/item-knn/index.js";
import type { ItemKnnModel } from "../../stages/item-knn/item-knn-model.js";
import { runCliAsync } from "../cli/run-cli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "recpipe-item-knn-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const table = (user: number[], item: number[], rating?: number[]) =>
  new Table({
    user: makeVector(Int32Array.from(user)),
    item: makeVector(Int32Array.from(item)),
    ...(rating ? { rating: makeVector(Float32Array.from(rating)) } : {}),
  });

// Items 10, 20, 30 rated by users 1-3; item 40 only by user 4, who rated nothing else.
const train = table([1, 1, 2, 2, 2, 3, 3, 4], [10, 20, 10, 20, 30, 20, 30, 40], [5, 3, 4, 2, 1, 4, 5, 2]);
const fit = async (params: Record<string, unknown>, t = train) => (await buildStage(itemKnn, params).fit(t, quietContext())) as ItemKnnModel;

// Columns over users 1..3: x10 = (5,4,0), x20 = (3,2,4), x30 = (0,1,5).
const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);
const x10 = [5, 4, 0],
  x20 = [3, 2, 4],
  x30 = [0, 1, 5];

describe("item-knn", () => {
  it("neighbour lists: cosine of the item columns, the item itself never listed, most similar first", async () => {
    const m = await fit({ k: 2 });
    expect(isRecommender(m)).toBe(true);
    expect(hasSimilarItems(m)).toBe(true);
    const s = await m.similarItems(Int32Array.from([10, 30, 40, 99]), 2, quietContext());
    expect(Array.from(s.similar)).toEqual([20, 30, 20, 10, -1, -1, -1, -1]);
    expect(Array.from(s.counts)).toEqual([2, 2, 0, 0]);
    expect(s.scores[0]).toBeCloseTo(cos(x10, x20), 6);
    expect(s.scores[1]).toBeCloseTo(cos(x10, x30), 6);
    // shrinkage pulls every similarity down by the same rule: dot / (|x_i| |x_j| + shrinkage)
    const shrunk = await (await fit({ k: 2, shrinkage: 10 })).similarItems(Int32Array.from([10]), 1, quietContext());
    const dot = 5 * 3 + 4 * 2;
    expect(shrunk.scores[0]).toBeCloseTo(dot / (Math.hypot(...x10) * Math.hypot(...x20) + 10), 6);
  });

  it("explicit prediction: the similarity-weighted mean of the user's ratings on the item's neighbours; NaN with none", async () => {
    const m = await fit({ k: 2 });
    const out = await m.transform(table([1, 3, 4, 9], [30, 10, 10, 10]), quietContext());
    const p = out.getChild("prediction")!.toArray() as Float32Array;
    const s13 = cos(x10, x30),
      s23 = cos(x20, x30),
      s12 = cos(x10, x20);
    expect(p[0]).toBeCloseTo((s13 * 5 + s23 * 3) / (s13 + s23), 5); // user 1 rated 10 and 20, both neighbours of 30
    expect(p[1]).toBeCloseTo((s12 * 4 + s13 * 5) / (s12 + s13), 5);
    expect(p[2]).toBeNaN(); // user 4 rated none of 10's neighbours
    expect(p[3]).toBeNaN(); // unknown user
    const dropped = await (await fit({ k: 2, coldStartStrategy: "drop" })).transform(table([1, 4], [30, 10]), quietContext());
    expect(dropped.numRows).toBe(1);
  });

  it("implicit prediction is the recommendation score; recommendations exclude the given seen pairs and ids it never saw", async () => {
    const m = await fit({ k: 2, implicitPrefs: true });
    const recs = await m.recommendForUsers(Int32Array.from([1, 77]), 3, quietContext(), { users: Int32Array.from([1, 1]), items: Int32Array.from([10, 20]) });
    expect(Array.from(recs.items)).toEqual([30, -1, -1, -1, -1, -1]);
    expect(Array.from(recs.counts)).toEqual([1, 0]);
    const score = 5 * cos(x10, x30) + 3 * cos(x20, x30);
    expect(recs.scores[0]).toBeCloseTo(score, 5);
    const pred = (await m.transform(table([1], [30]), quietContext())).getChild("prediction")!.get(0) as number;
    expect(pred).toBe(recs.scores[0]);
    // without an exclusion the user's own items may be recommended
    const all = await m.recommendForUsers(Int32Array.from([1]), 3, quietContext());
    expect(Array.from(all.items).sort()).toEqual([10, 20, 30]);
  });

  it("saves as recpipe.recommendation.ItemKNNModel and loads back with identical lists, predictions and recommendations", async () => {
    const m = await fit({ k: 2, weighting: "tfidf", ratingCol: "rating" });
    const dir = path.join(tmp, "model");
    await saveModel(dir, m.save());
    const saved = await loadSavedStage(dir);
    expect(saved.className).toBe("recpipe.recommendation.ItemKNNModel");
    const loader = itemKnn.loaders![saved.className];
    const back = loader(saved, () => {
      throw new Error("no children");
    }) as ItemKnnModel;
    expect(Array.from(back.state.neighbours.idx)).toEqual(Array.from(m.state.neighbours.idx));
    expect(Array.from(back.state.neighbours.sims)).toEqual(Array.from(m.state.neighbours.sims));
    const users = Int32Array.from([1, 2, 3, 4]);
    expect(await back.recommendForUsers(users, 3, quietContext())).toEqual(await m.recommendForUsers(users, 3, quietContext()));
    const pairs = table([1, 2, 3], [30, 10, 10]);
    const a = (await m.transform(pairs, quietContext())).getChild("prediction")!.toArray();
    const b = (await back.transform(pairs, quietContext())).getChild("prediction")!.toArray();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(back.params.weighting).toBe("tfidf");
    expect(createRegistry().knownClasses()).toContain("recpipe.recommendation.ItemKNNModel");
  });

  it("a damaged model is an input error naming the folder, what was expected and what was found", async () => {
    const saved = (await fit({ k: 2 })).save();
    const load = (s: typeof saved) =>
      itemKnn.loaders![s.className]({ ...s, origin: "runs/x/model" }, () => {
        throw new Error("no children");
      });
    expect(() => load({ ...saved, tables: { ...saved.tables!, userRatings: saved.tables!.neighbours } })).toThrow(
      /runs\/x\/model\/userRatings: expected columns id, items, ratings; found id, neighbours, similarities/,
    );
    expect(() => load({ ...saved, extra: {} })).toThrow(/runs\/x\/model\/metadata: "numNeighbours" must be an integer >= 1; found undefined/);
    expect(() => load({ ...saved, extra: { numNeighbours: 1 } })).toThrow(/runs\/x\/model\/neighbours: item 10 lists 2 neighbours; the metadata's k is 1/);
    const { userRatings } = saved.tables!;
    const shifted = new Table({ id: userRatings.getChild("id")!, items: userRatings.getChild("ratings")!, ratings: userRatings.getChild("ratings")! });
    expect(() => load({ ...saved, tables: { ...saved.tables!, userRatings: shifted } })).toThrow(/userRatings: column items must be list<int32>/);
  });

  it("settings it cannot honour are input errors naming the key or column", async () => {
    const stage = buildStage(itemKnn, { weighting: "bm25", shrinkage: 5 });
    expect(() => stage.transformSchema(train.schema)).toThrow(/item-knn\.shrinkage: weighting bm25 has no cosine denominator.*found 5/);
    await expect(fit({ weighting: "tfidf" }, table([1, 2], [10, 10], [1, -2]))).rejects.toThrow(/weighting tfidf needs ratings >= 0.*column rating row 1.*-2/);
    expect(() => buildStage(itemKnn, { k: 0 })).toThrow(/k/);
  });

  it("a fitted model recommends inside its own kernel memory: the same bytes as a loaded copy, 1 or 2 workers, calls at once", async () => {
    // 300 users x 120 items, skewed, with duplicate pairs; every user's seen items excluded
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const user: number[] = [];
    const item: number[] = [];
    const rating: number[] = [];
    for (let u = 0; u < 300; u++) {
      for (let t = 0; t < 2 + Math.floor(next() * 20); t++) {
        user.push(1000 + u);
        item.push(5 + Math.floor(120 * next() ** 2));
        rating.push(1 + Math.floor(next() * 5));
      }
    }
    const t = table(user, item, rating);
    const seen = { users: Int32Array.from(user), items: Int32Array.from(item) };
    const m = await fit({ k: 8, ratingCol: "rating", implicitPrefs: true }, t);
    expect(m.state.home).toBeDefined();
    const dir = path.join(tmp, "in-place");
    await saveModel(dir, m.save());
    const saved = await loadSavedStage(dir);
    const loaded = itemKnn.loaders![saved.className](saved, () => {
      throw new Error("no children");
    }) as ItemKnnModel;
    expect(loaded.state.home).toBeUndefined();
    const users = m.knownUsers();
    const want = await loaded.recommendForUsers(users, 10, quietContext(), seen);
    expect(Math.max(...want.counts)).toBe(10);
    const [one, two, again] = await Promise.all([
      m.recommendForUsers(users, 10, quietContext(), seen),
      m.recommendForUsers(users, 10, quietContext({ workers: 2 }), seen),
      m.recommendForUsers(users.subarray(0, 50), 4, quietContext({ workers: 2 })),
    ]);
    for (const got of [one, two]) {
      expect(Buffer.from(got.items.buffer).equals(Buffer.from(want.items.buffer))).toBe(true);
      expect(Buffer.from(got.scores.buffer).equals(Buffer.from(want.scores.buffer))).toBe(true);
    }
    const without = await loaded.recommendForUsers(users.subarray(0, 50), 4, quietContext());
    expect(Array.from(again.items)).toEqual(Array.from(without.items));
    // the rows the model keeps are untouched by the jobs that ran beside them
    expect(Array.from(m.state.rows.rowItems)).toEqual(Array.from(loaded.state.rows.rowItems));
    expect(Array.from(m.state.rows.rowRatings)).toEqual(Array.from(loaded.state.rows.rowRatings));
  });
});

describe("item-knn through the CLI", () => {
  const ratings = ["user,item,rating"];
  for (let u = 0; u < 40; u++) for (let i = 0; i < 25; i++) if ((u * 7 + i * 3) % 4 !== 0) ratings.push(`${u},${i},${1 + ((u + 2 * i) % 5)}`);
  writeFileSync(path.join(tmp, "ratings.csv"), ratings.join("\n") + "\n");
  const yaml = `name: knn
seed: 1
source: {path: ratings.csv, format: csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: item-knn, k: 5, coldStartStrategy: drop}
evaluate:
  - {type: ranking-evaluator, metricName: ndcgAtK, k: 5}
tune:
  type: cross-validator
  numFolds: 2
  evaluator: {type: ranking-evaluator, metricName: ndcgAtK, k: 5}
  paramGrid:
    item-knn.k: [2, 8]
output: {dir: runs}
`;
  writeFileSync(path.join(tmp, "knn.yaml"), yaml);

  it("runs tuned by item-knn.k, saves the model; recommend and predict load it back", async () => {
    const r = await runCliAsync(["run", "knn.yaml", "--json", "--quiet"], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { runDir: string; metrics: Record<string, number>; tune: { grid: unknown[] } };
    expect(out.tune.grid).toHaveLength(2);
    expect(out.metrics["ndcgAtK@5"]).toBeGreaterThan(0);
    const rec = await runCliAsync(["recommend", "--model", out.runDir, "--user", "3", "-k", "4", "--format", "csv"], { cwd: tmp });
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout.trim().split("\n")).toHaveLength(5);
    writeFileSync(path.join(tmp, "pairs.csv"), "user,item\n3,4\n5,6\n");
    const pred = await runCliAsync(["predict", "--model", out.runDir, "--input", "pairs.csv", "--set", "coldStartStrategy=nan"], { cwd: tmp });
    expect(pred.code, pred.stderr).toBe(0);
    const lines = pred.stdout.trim().split("\n");
    expect(lines[0]).toBe("user,item,prediction");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual(["3,4", "5,6"]);
    // a rating-scale prediction wherever the user rated one of the item's neighbours
    for (const l of lines.slice(1)) expect(l.split(",")[2]).toMatch(/^(NaN|[1-5](\.\d+)?)$/);
  });

  it("--remote refuses item-knn with its key before connecting (exit 2)", async () => {
    const r = await runCliAsync(["validate", "knn.yaml", "--remote", "sc://127.0.0.1:1"], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pipeline\[0\] \(item-knn\)\.type: item-knn has no Spark Connect equivalent/);
    expect(r.stderr).not.toMatch(/unreachable/);
  });
});
