import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { InputError } from "../../../core/errors.js";
import type { Table } from "apache-arrow";
import type { Relation } from "../gen/spark/connect/relations_pb.js";
import { MlOperator_OperatorType, MlParamsSchema, type MlParams } from "../gen/spark/connect/ml_common_pb.js";
import type { ExecutePlanResponse } from "../gen/spark/connect/base_pb.js";
import type { Expression_Literal } from "../gen/spark/connect/expressions_pb.js";
import type { SparkConnectClient, ProgressListener } from "./client.js";
import { arrowResult } from "./arrow-result.js";
import { literal, literalValue, type SparkParamType } from "./literal.js";
import { mlCommandPlan, rootPlan } from "./plan.js";
import { RelationSchema } from "../gen/spark/connect/relations_pb.js";

/** A Spark ML param as sent: name, value, and the Spark type it must have. */
export interface SparkParam {
  name: string;
  value: unknown;
  type: SparkParamType;
}

/** A JVM operator: its class (must be on the server's ML allowlist) and a uid. */
export interface SparkOperator {
  className: string;
  uid: string;
  params: SparkParam[];
}

/** A model held in the server's per-session ML cache. */
export interface ModelRef {
  id: string;
  className: string;
}

type FetchArg = { param: Expression_Literal } | { input: Relation };

/** Models `deleteSoon` holds on the server before freeing them in one Delete: a few tuning trials' worth. */
export const DELETE_BATCH = 4;

/**
 * Spark ML over Connect: Fit / Evaluate / Fetch / Delete / Write commands and the Transform relation. Every model the
 * server caches for us is tracked, so `releaseAll` can free them at the end, after a failure and on Ctrl-C.
 */
export class SparkMl {
  private readonly live = new Map<string, ModelRef>();
  /** Models given to deleteSoon and not yet sent in a Delete. */
  private pendingDeletes: ModelRef[] = [];

  constructor(
    readonly client: SparkConnectClient,
    private readonly onProgress?: (label: string) => ProgressListener | undefined,
  ) {}

  private run(plan: Parameters<SparkConnectClient["execute"]>[0], what: string): Promise<ExecutePlanResponse[]> {
    return this.client.execute(plan, what, this.onProgress?.(what));
  }

  /** Fits an estimator on a relation; the model stays on the server until deleted. */
  async fit(op: SparkOperator, dataset: Relation, what: string): Promise<ModelRef> {
    const res = await this.run(
      mlCommandPlan({
        case: "fit",
        value: { estimator: { name: op.className, uid: op.uid, type: MlOperator_OperatorType.ESTIMATOR }, params: mlParams(op.params, what), dataset },
      }),
      what,
    );
    const info = mlResult(res, what);
    if (info.resultType.case !== "operatorInfo" || info.resultType.value.type.case !== "objRef") {
      throw new Error(`${what}: the server answered Fit without a model reference`);
    }
    const ref = { id: info.resultType.value.type.value.id, className: modelClassOf(op.className) };
    this.live.set(ref.id, ref);
    return ref;
  }

  /** A model's output over `input` (lazy: nothing runs until a plan uses it). */
  transform(model: ModelRef, input: Relation, params: SparkParam[] = []): Relation {
    return create(RelationSchema, {
      relType: {
        case: "mlRelation",
        value: {
          mlType: { case: "transform", value: { operator: { case: "objRef", value: { id: model.id } }, input, params: mlParams(params, "transform") } },
        },
      },
    });
  }

  /** A non-model transformer (e.g. IndexToString) applied to `input`. */
  transformWith(op: SparkOperator, input: Relation): Relation {
    return create(RelationSchema, {
      relType: {
        case: "mlRelation",
        value: {
          mlType: {
            case: "transform",
            value: {
              operator: { case: "transformer", value: { name: op.className, uid: op.uid, type: MlOperator_OperatorType.TRANSFORMER } },
              input,
              params: mlParams(op.params, op.uid),
            },
          },
        },
      },
    });
  }

  /** An evaluator's metric over a relation (usually a transform), computed on the cluster. */
  async evaluate(op: SparkOperator, dataset: Relation, what: string): Promise<number> {
    const res = await this.run(
      mlCommandPlan({
        case: "evaluate",
        value: { evaluator: { name: op.className, uid: op.uid, type: MlOperator_OperatorType.EVALUATOR }, params: mlParams(op.params, what), dataset },
      }),
      what,
    );
    const info = mlResult(res, what);
    if (info.resultType.case !== "param") throw new Error(`${what}: the server answered Evaluate without a value`);
    return Number(literalValue(info.resultType.value));
  }

  /** A model attribute or method whose result is a value (e.g. StringIndexerModel.labelsArray, ALSModel.rank). */
  async fetchValue(model: ModelRef, method: string, what: string, args: FetchArg[] = []): Promise<unknown> {
    const res = await this.run(mlCommandPlan({ case: "fetch", value: { objRef: { id: model.id }, methods: [{ method, args: args.map(fetchArg) }] } }), what);
    const info = mlResult(res, what);
    if (info.resultType.case !== "param") throw new Error(`${what}: the server answered Fetch ${method} without a value`);
    return literalValue(info.resultType.value);
  }

  /** A model method whose result is a DataFrame (e.g. ALSModel.userFactors, recommendForUserSubset), lazily. */
  fetchRelation(model: ModelRef, method: string, args: FetchArg[] = []): Relation {
    return create(RelationSchema, {
      relType: {
        case: "mlRelation",
        value: { mlType: { case: "fetch", value: { objRef: { id: model.id }, methods: [{ method, args: args.map(fetchArg) }] } } },
      },
    });
  }

  /** Runs a relation and brings its rows back: only for results the client needs (factors, metrics, top-k). */
  async collect(rel: Relation, what: string): Promise<Table> {
    return arrowResult(await this.run(rootPlan(rel), what));
  }

  /** Saves a model with Spark's own writer, on the cluster's file system. */
  async write(model: ModelRef, path: string, what: string): Promise<void> {
    await this.run(mlCommandPlan({ case: "write", value: { type: { case: "objRef", value: { id: model.id } }, path, shouldOverwrite: true } }), what);
  }

  /** Frees models on the server. Failures are ignored: the session's release frees whatever is left. */
  async delete(refs: ModelRef[]): Promise<void> {
    const ids = refs.filter((r) => this.live.has(r.id));
    if (ids.length === 0) return;
    for (const r of ids) this.live.delete(r.id);
    await this.run(mlCommandPlan({ case: "delete", value: { objRefs: ids.map((r) => ({ id: r.id })) } }), "deleting server-side models").catch(() => undefined);
  }

  /**
   * Frees models later, off the caller's path: they are sent in one Delete once DELETE_BATCH are waiting (tuning's
   * trials end one after another), and releaseAll frees whatever is left.
   */
  deleteSoon(refs: ModelRef[]): void {
    this.pendingDeletes.push(...refs.filter((r) => this.live.has(r.id)));
    if (this.pendingDeletes.length < DELETE_BATCH) return;
    const batch = this.pendingDeletes;
    this.pendingDeletes = [];
    void this.delete(batch).catch(() => undefined);
  }

  async releaseAll(): Promise<void> {
    this.pendingDeletes = [];
    await this.delete([...this.live.values()]);
  }

  get liveModels(): number {
    return this.live.size;
  }
}

function fetchArg(a: FetchArg) {
  return "param" in a ? { argsType: { case: "param" as const, value: a.param } } : { argsType: { case: "input" as const, value: a.input } };
}

function mlParams(params: SparkParam[], where: string): MlParams {
  const out: MessageInitShape<typeof MlParamsSchema>["params"] = {};
  for (const p of params) out[p.name] = literal(p.value, p.type, `${where}.${p.name}`);
  return create(MlParamsSchema, { params: out });
}

function mlResult(res: ExecutePlanResponse[], what: string) {
  for (const r of res) if (r.responseType.case === "mlCommandResult") return r.responseType.value;
  throw new InputError("E_UNSUPPORTED", `${what}: the Spark Connect server sent no ML result; does it support ML over Connect (Spark 4.0+)?`);
}

/** Spark names a fitted model after its estimator: ALS -> ALSModel, StringIndexer -> StringIndexerModel. */
function modelClassOf(estimator: string): string {
  return `${estimator}Model`;
}
