import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { PlanSchema, type Plan } from "../gen/spark/connect/base_pb.js";
import { CommandSchema } from "../gen/spark/connect/commands_pb.js";
import { MlCommandSchema } from "../gen/spark/connect/ml_pb.js";
import { RelationSchema, SetOperation_SetOpType, type Relation } from "../gen/spark/connect/relations_pb.js";

type RelationType = MessageInitShape<typeof RelationSchema>["relType"];

let nextPlanId = 1n;
/** Every relation gets a fresh plan_id, as PySpark's do: Spark uses them to tell self-joined inputs apart. */
function relation(relType: RelationType): Relation {
  return create(RelationSchema, { common: { planId: nextPlanId++ }, relType });
}

/** A file or folder the cluster reads itself (Spark's DataFrameReader: format, options, paths). */
export function readDataSource(format: string, paths: string[], options: Record<string, string> = {}, schema?: string): Relation {
  return relation({ case: "read", value: { readType: { case: "dataSource", value: { format, paths, options, schema } }, isStreaming: false } });
}

/** Data uploaded earlier through the artifact cache (`cache/<hash>` holding a serialized LocalRelation). */
export function cachedLocalRelation(hash: string): Relation {
  return relation({ case: "cachedLocalRelation", value: { hash } });
}

/** Small data inline: one Arrow IPC stream (schema + batches). */
export function localRelation(arrowIpc: Uint8Array): Relation {
  return relation({ case: "localRelation", value: { data: arrowIpc } });
}

/** UNION ALL BY NAME of several relations with the same columns, as a balanced tree (keeps the plan shallow). */
export function unionAll(parts: Relation[]): Relation {
  if (parts.length === 0) throw new Error("unionAll of nothing");
  if (parts.length === 1) return parts[0];
  const mid = Math.ceil(parts.length / 2);
  return relation({
    case: "setOp",
    value: {
      leftInput: unionAll(parts.slice(0, mid)),
      rightInput: unionAll(parts.slice(mid)),
      setOpType: SetOperation_SetOpType.UNION,
      isAll: true,
      byName: true,
    },
  });
}

/** Renames every column in order (DataFrame.toDF). */
export function toDF(input: Relation, columnNames: string[]): Relation {
  return relation({ case: "toDf", value: { input, columnNames } });
}

/**
 * One side of DataFrame.randomSplit: rows whose draw falls in [lower, upper). `deterministic_order` sorts the input
 * first, so every side of the split sees the rows in the same order and the sides are disjoint and complete.
 */
export function sample(input: Relation, lower: number, upper: number, seed: number): Relation {
  return relation({
    case: "sample",
    value: { input, lowerBound: lower, upperBound: upper, withReplacement: false, seed: BigInt(seed), deterministicOrder: true },
  });
}

let nextAlias = 0;

/**
 * Spark SQL over named relations: `{name}` in the query refers to `refs[name]` (PySpark's spark.sql(query, df=df)).
 * The relations are sent as SubqueryAlias references of a WithRelations root, so no session state is created.
 */
export function sql(query: string, refs: Record<string, Relation> = {}): Relation {
  const names = Object.keys(refs);
  // Aliases are unique per process: a referenced relation may itself be a sql() whose own aliases must not clash.
  const aliases = new Map(names.map((n) => [n, `recpipe_${n}_${nextAlias++}`]));
  const text = query.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, n: string) => {
    const a = aliases.get(n);
    if (!a) throw new Error(`sql: no relation named ${n} for ${m}`);
    return a;
  });
  const root = relation({ case: "sql", value: { query: text } });
  if (names.length === 0) return root;
  const references = names.map((n) => relation({ case: "subqueryAlias", value: { input: refs[n], alias: aliases.get(n)! } }));
  return relation({ case: "withRelations", value: { root, references } });
}

/** A plan whose result is a relation (streamed back as Arrow). */
export function rootPlan(root: Relation): Plan {
  return create(PlanSchema, { opType: { case: "root", value: root } });
}

/** A plan that runs one ML command. */
export function mlCommandPlan(command: MessageInitShape<typeof MlCommandSchema>["command"]): Plan {
  return create(PlanSchema, {
    opType: { case: "command", value: create(CommandSchema, { commandType: { case: "mlCommand", value: create(MlCommandSchema, { command }) } }) },
  });
}

/** DataFrame.na.drop(thresh, subset): rows with fewer than `minNonNulls` non-null, non-NaN values among `cols` dropped. */
export function naDrop(input: Relation, cols: string[], minNonNulls: number): Relation {
  return relation({ case: "dropNa", value: { input, cols, minNonNulls } });
}

/** DataFrame.drop(*names): the relation without these columns (names it does not hold are ignored, as in Spark). */
export function dropColumns(input: Relation, columnNames: string[]): Relation {
  return relation({ case: "drop", value: { input, columnNames } });
}

/** A plan that runs one non-ML command (checkpoint, removing a cached remote relation, ...). */
export function commandPlan(commandType: MessageInitShape<typeof CommandSchema>["commandType"]): Plan {
  return create(PlanSchema, { opType: { case: "command", value: create(CommandSchema, { commandType }) } });
}

/** A DataFrame the server holds for the session (a checkpoint's result), by the id the server gave it. */
export function cachedRemoteRelation(relationId: string): Relation {
  return relation({ case: "cachedRemoteRelation", value: { relationId } });
}
