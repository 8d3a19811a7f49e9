import { cpSync } from "node:fs";
import path from "node:path";
import type { BadInputCase, CaseContext } from "./case.js";
import { edit, PIPELINE, RATINGS_CSV, write } from "./fixtures.js";

/** The fixture pipeline with `extra` appended (or edited), over the fixture ratings and an items file. */
function itemsCase(c: Omit<BadInputCase, "area" | "setup" | "args"> & { yaml: string; items?: string; args?: string[] }): BadInputCase {
  const { yaml, items, args, ...rest } = c;
  return {
    area: "pipeline file",
    setup: ({ dir }: CaseContext) => {
      write(dir, "p.yaml", yaml);
      write(dir, "ratings.csv", RATINGS_CSV);
      if (items !== undefined) write(dir, "items.csv", items);
    },
    args: args ?? ["run", "p.yaml", "--quiet"],
    ...rest,
  };
}

const copyModel = (c: CaseContext) => cpSync(c.model, path.join(c.dir, "model"), { recursive: true });

const ITEMS_CSV = "item,title\n" + Array.from({ length: 8 }, (_, i) => `i${i + 1},Title ${i + 1}`).join("\n") + "\n";

export const similarItemsCases: BadInputCase[] = [
  itemsCase({
    id: "items-missing-id-column",
    input: "`items:` names an `idCol` the items file does not have",
    yaml: PIPELINE + "items: {path: items.csv, idCol: movieId}\n",
    items: ITEMS_CSV,
    exit: 2,
    message: ["items.idCol", 'expected column "movieId"', "items.csv", "found columns item, title"],
  }),
  itemsCase({
    id: "items-no-id-key",
    input: "`items:` without `idCol`",
    yaml: PIPELINE + "items: {path: items.csv, cols: [title]}\n",
    items: ITEMS_CSV,
    exit: 2,
    message: ["items.idCol", "got nothing"],
  }),
  itemsCase({
    id: "items-duplicate-id",
    input: "an items file with the same id on two rows",
    yaml: PIPELINE + "items: {path: items.csv, idCol: item, cols: [title]}\n",
    items: ITEMS_CSV + "i3,Another title\n",
    exit: 2,
    message: ["items.csv", "item id i3 appears twice in column item", "rows 3 and 9", "expected one row per item"],
  }),
  itemsCase({
    id: "similar-items-k-zero",
    input: "`recommend: {similarItems: 0}`",
    yaml: PIPELINE + "recommend: {similarItems: 0}\n",
    exit: 2,
    message: ["recommend.similarItems", "must be >= 1", "got 0"],
  }),
  itemsCase({
    id: "similar-items-no-item-vectors",
    input: "`recommend: {similarItems: 3}` on a model without item vectors (most-popular)",
    yaml:
      edit(
        PIPELINE,
        "  - type: als\n    userCol: userIndex\n    itemCol: itemIndex\n    ratingCol: rating\n    rank: 2\n    maxIter: 2\n    coldStartStrategy: drop\n",
        "  - {type: most-popular, userCol: userIndex, itemCol: itemIndex}\n",
      ).replace("evaluate:\n  - {type: regression-evaluator, metricName: rmse}\n", "evaluate:\n  - {type: ranking-evaluator, metricName: ndcgAtK, k: 3}\n") +
      "recommend: {similarItems: 3}\n",
    exit: 2,
    message: ["recommend.similarItems", "expected a model with item vectors", "most-popular"],
  }),
  itemsCase({
    id: "baselines-unknown-name",
    input: "`baselines:` naming a baseline that does not exist",
    yaml: PIPELINE + "baselines: [most-populr]\n",
    exit: 2,
    message: ["baselines[0]", "expected a built-in baseline", '"most-populr"', 'did you mean "most-popular"'],
  }),
  itemsCase({
    id: "baselines-pipeline-without-name",
    input: "a model baseline without `name`",
    yaml: PIPELINE + "baselines: [{pipeline: [{type: most-popular}]}]\n",
    exit: 2,
    message: ["baselines[0].name", "expected a name", "got undefined"],
  }),
  {
    id: "similar-items-unknown-id",
    area: "CLI arguments",
    input: "`recommend --similar-items` with an item the model never saw",
    setup: copyModel,
    args: ["recommend", "--model", "model", "--similar-items", "i999"],
    exit: 2,
    message: ["--similar-items i999", "expected an item id the model was trained on", "column item"],
  },
  {
    id: "similar-items-k-below-one",
    area: "CLI arguments",
    input: "`recommend --similar-items i1 -k 0`",
    setup: copyModel,
    args: ["recommend", "--model", "model", "--similar-items", "i1", "-k", "0"],
    exit: 2,
    message: ["-k", "expected an integer >= 1", '"0"'],
  },
];
