import type { BadInputCase, CaseContext } from "./case.js";
import { edit, PIPELINE, RATINGS_CSV, write } from "./fixtures.js";

/** A case whose pipeline file is the fixture pipeline with one edit, over the fixture ratings. */
function pipelineCase(c: Omit<BadInputCase, "area" | "setup" | "args"> & { yaml: string; args?: string[] }): BadInputCase {
  const { yaml, args, ...rest } = c;
  return {
    area: "pipeline file",
    setup: ({ dir }: CaseContext) => {
      write(dir, "p.yaml", yaml);
      write(dir, "ratings.csv", RATINGS_CSV);
    },
    args: args ?? ["run", "p.yaml", "--quiet"],
    ...rest,
  };
}

const TUNE = `tune:
  type: cross-validator
  numFolds: 2
  evaluator: {type: regression-evaluator, metricName: rmse}
  paramGrid:
    als.rank: [1, 2]
`;

export const pipelineFileCases: BadInputCase[] = [
  pipelineCase({
    id: "malformed-yaml",
    input: "malformed YAML (unclosed flow sequence)",
    yaml: edit(PIPELINE, "weights: [0.8, 0.2]}", "weights: [0.8, 0.2}"),
    exit: 2,
    message: ["p.yaml:4:", "is not valid YAML"],
  }),
  pipelineCase({
    id: "empty-pipeline-file",
    input: "empty pipeline file",
    yaml: "",
    exit: 2,
    message: ["p.yaml", "must be a mapping", "empty document"],
  }),
  pipelineCase({
    id: "unknown-top-level-key",
    input: "unknown top-level key `evalute`",
    yaml: edit(PIPELINE, "evaluate:", "evalute:"),
    exit: 2,
    message: ["p.yaml:", "evalute", "is not a known key", 'did you mean "evaluate"'],
  }),
  pipelineCase({
    id: "unknown-stage-param",
    input: "unknown stage param `rnak`",
    yaml: edit(PIPELINE, "rank: 2", "rnak: 2"),
    exit: 2,
    message: ["p.yaml:14:", "pipeline[1] (als).rnak", 'did you mean "rank"'],
  }),
  pipelineCase({
    id: "unknown-stage-type",
    input: "unknown stage type `alss`",
    yaml: edit(PIPELINE, "type: als", "type: alss"),
    exit: 2,
    message: ["p.yaml:10:", "pipeline[1] (alss).type", '"alss"', 'did you mean "als"', "known:"],
  }),
  pipelineCase({
    id: "wrong-param-type",
    input: "wrong param type (`rank: ten`)",
    yaml: edit(PIPELINE, "rank: 2", "rank: ten"),
    exit: 2,
    message: ["p.yaml:14:", "pipeline[1] (als).rank", "must be a number", '"ten"'],
  }),
  pipelineCase({
    id: "rank-0",
    input: "out-of-range param (`rank: 0`)",
    yaml: edit(PIPELINE, "rank: 2", "rank: 0"),
    exit: 2,
    message: ["p.yaml:14:", "pipeline[1] (als).rank", "must be >= 1", "got 0"],
  }),
  pipelineCase({
    id: "missing-column",
    input: "a column no stage produces and the data lacks (`ratingCol: score`)",
    yaml: edit(PIPELINE, "ratingCol: rating", "ratingCol: score"),
    exit: 2,
    message: ["als.ratingCol", '"score"', "user, item, rating"],
  }),
  pipelineCase({
    id: "misspelled-column",
    input: "misspelled input column (`inputCols: [usr, item]`)",
    yaml: edit(PIPELINE, "inputCols: [user, item]", "inputCols: [usr, item]"),
    exit: 2,
    message: ['"usr"', 'did you mean "user"'],
  }),
  pipelineCase({
    id: "missing-data-file",
    input: "source file does not exist",
    yaml: edit(PIPELINE, "path: ratings.csv", "path: ratings-2024.csv"),
    exit: 2,
    message: ["source.path", "ratings-2024.csv does not exist"],
  }),
  pipelineCase({
    id: "includes-itself",
    input: "a pipeline file that includes itself",
    yaml: `include: [p.yaml]\n${PIPELINE}`,
    exit: 2,
    message: ["p.yaml", 'include "p.yaml" forms a cycle'],
  }),
  pipelineCase({
    id: "plugin-missing",
    input: "a plugin path that does not exist",
    yaml: `plugins: [./stages/my-stage.mjs]\n${PIPELINE}`,
    args: ["run", "p.yaml", "--quiet", "--allow-plugins"],
    exit: 2,
    message: ["p.yaml", '"./stages/my-stage.mjs" not found'],
  }),
  pipelineCase({
    id: "plugin-not-allowed",
    input: "a plugin module, without `--allow-plugins` (nothing is imported)",
    yaml: `plugins: [./stages/my-stage.mjs]\n${PIPELINE}`,
    exit: 2,
    message: ["p.yaml", '"./stages/my-stage.mjs"', "--allow-plugins"],
  }),
  pipelineCase({
    id: "yaml-js-function-tag",
    input: "YAML tag `!!js/function` (never executed)",
    yaml: edit(PIPELINE, "rank: 2", 'rank: !!js/function "function () { return 2 }"'),
    exit: 2,
    message: ["p.yaml", "custom YAML tags are not allowed", "js/function"],
  }),
  pipelineCase({
    id: "yaml-custom-tag",
    input: "custom YAML tag `!foo`",
    yaml: edit(PIPELINE, "rank: 2", "rank: !foo 2"),
    exit: 2,
    message: ["p.yaml", "custom YAML tags are not allowed", "!foo"],
  }),
  pipelineCase({
    id: "num-folds-1",
    input: "`numFolds: 1`",
    yaml: PIPELINE + edit(TUNE, "numFolds: 2", "numFolds: 1"),
    exit: 2,
    message: ["p.yaml:", "tune.numFolds", "must be >= 2", "got 1"],
  }),
  pipelineCase({
    id: "train-ratio-1.5",
    input: "`trainRatio: 1.5`",
    yaml: PIPELINE + edit(edit(TUNE, "cross-validator", "train-validation-split"), "numFolds: 2", "trainRatio: 1.5"),
    exit: 2,
    message: ["p.yaml:", "tune.trainRatio", "must be < 1", "got 1.5"],
  }),
  pipelineCase({
    id: "empty-grid",
    input: "empty param grid",
    yaml: PIPELINE + edit(TUNE, "  paramGrid:\n    als.rank: [1, 2]\n", "  paramGrid: {}\n"),
    exit: 2,
    message: ["p.yaml:", "tune.paramGrid", "is empty"],
  }),
  pipelineCase({
    id: "grid-unknown-stage",
    input: "grid key naming an unknown stage",
    yaml: PIPELINE + edit(TUNE, "als.rank", "alss.rank"),
    exit: 2,
    message: ["p.yaml:", "tune.paramGrid.alss.rank", 'no pipeline stage is named "alss"', 'did you mean "als"'],
  }),
  pipelineCase({
    id: "grid-unknown-param",
    input: "grid key naming an unknown param",
    yaml: PIPELINE + edit(TUNE, "als.rank", "als.rnak"),
    exit: 2,
    message: ["p.yaml:", "tune.paramGrid.als.rnak", 'has no param "rnak"', 'did you mean "rank"'],
  }),
  pipelineCase({
    id: "grid-bad-value",
    input: "grid value out of range (`als.rank: [1, 0]`)",
    yaml: PIPELINE + edit(TUNE, "als.rank: [1, 2]", "als.rank: [1, 0]"),
    exit: 2,
    message: ["p.yaml:", "tune.paramGrid.als.rank[1]", "must be >= 1", "got 0"],
  }),
  pipelineCase({
    id: "ranking-metric-global-mean",
    input: "ranking metric on a model that cannot rank (`global-mean`)",
    yaml: edit(
      edit(
        PIPELINE,
        "  - type: als\n    userCol: userIndex\n    itemCol: itemIndex\n    ratingCol: rating\n    rank: 2\n    maxIter: 2\n    coldStartStrategy: drop\n",
        "  - type: global-mean\n",
      ),
      "metricName: rmse}",
      "metricName: rmse}\n  - {type: ranking-evaluator, metricName: ndcgAtK, k: 5}",
    ),
    exit: 2,
    message: ["evaluate:", "ranking-evaluator (ndcgAtK@5)", "global-mean", "cannot rank"],
  }),
  pipelineCase({
    id: "empty-training-split",
    input: "split that leaves no training rows (`weights: [0, 1]`)",
    yaml: edit(PIPELINE, "weights: [0.8, 0.2]", "weights: [0, 1]"),
    exit: 2,
    message: ["split", "no training rows", "random-split"],
  }),
];
