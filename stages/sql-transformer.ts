import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { z } from "zod";
import { defineStage, loadFromParams, saveParams } from "../src/core/define-stage.js";
import type { Transformer } from "../src/core/stage.js";
import { closeSqlEngine, describeSql, runSql } from "../src/sql/sql-engine.js";

const CLASS = "org.apache.spark.ml.feature.SQLTransformer";
const TYPE = "sql-transformer";

const params = z.object({
  statement: z
    .string()
    .min(1)
    .describe(
      'one Spark SQL SELECT in which `__THIS__` stands for the input table, e.g. "SELECT *, log(1 + plays) AS confidence FROM __THIS__ WHERE ts >= 0"; ' +
        "run locally by an embedded DuckDB after a rewrite to Spark's semantics (constructs it cannot match are refused: docs/sql-transformer.md), sent to Spark as written with --remote",
    ),
});

/**
 * Spark's SQLTransformer. Locally the statement runs on the embedded SQL engine (src/sql/), which is loaded only
 * when a statement is first checked or run. Usable in `pipeline:` (saved with the PipelineModel) and as a prepare step.
 */
export const sqlTransformer = defineStage({
  type: TYPE,
  role: "transformer",
  doc:
    "Spark's SQLTransformer: transforms the table with one SQL SELECT statement, in which `__THIS__` stands for the input table " +
    "(filters, new columns, aggregates, window counts). Checked against the input columns before any data is read; the " +
    "local engine never reads or writes files, reaches the network or changes settings.",
  sparkClass: CLASS,
  uidPrefix: "sql",
  params,
  create(p, info): Transformer {
    const where = info.name === TYPE ? `${TYPE}.statement` : `${info.name} (${TYPE}).statement`;
    return {
      role: "transformer",
      type: TYPE,
      ...info,
      params: p,
      transformSchema: (schema) => describeSql(schema, p.statement, where),
      transform: (table) => runSql(table, p.statement, where),
      release: closeSqlEngine,
      save: () => saveParams(sqlTransformer, p, info),
    };
  },
  loaders: { [CLASS]: (s): Transformer => loadFromParams(sqlTransformer, s) },
  example: () => ({
    params: { statement: "SELECT *, rating * 2 AS doubled, concat(user, '!') AS shout FROM __THIS__ WHERE rating > 1 ORDER BY rating" },
    train: new Table({
      user: vectorFromArray(["a", "b", "c", "d"], new Utf8()),
      item: makeVector(new Int32Array([1, 2, 3, 4])),
      rating: makeVector(new Float64Array([5, 1, 3, 2])),
    }),
  }),
});
