import { create } from "@bufbuild/protobuf";
import { InputError } from "../../../core/errors.js";
import type { DataType } from "../gen/spark/connect/types_pb.js";
import { DataTypeSchema } from "../gen/spark/connect/types_pb.js";
import { Expression_LiteralSchema, type Expression_Literal } from "../gen/spark/connect/expressions_pb.js";

/** The Spark type a param is sent as (Spark's ML params are typed: int vs long vs double matters to the JVM). */
export type SparkParamType = "int" | "long" | "double" | "string" | "boolean" | "string[]" | "double[]" | "int[]";

const stringType = (): DataType => create(DataTypeSchema, { kind: { case: "string", value: {} } });
const doubleType = (): DataType => create(DataTypeSchema, { kind: { case: "double", value: {} } });
const intType = (): DataType => create(DataTypeSchema, { kind: { case: "integer", value: {} } });

/**
 * An Expression.Literal of the given Spark type. Arrays carry `element_type`: a Spark 4.0 server needs it to type an
 * array (the newer `data_type` field is 4.1+ and would be dropped silently by a 4.0 server).
 */
export function literal(value: unknown, type: SparkParamType, where: string): Expression_Literal {
  const bad = () => new InputError("E_SPEC", `${where}: cannot send ${JSON.stringify(value)} to Spark as ${type}`);
  switch (type) {
    case "int":
      if (!Number.isInteger(value)) throw bad();
      return create(Expression_LiteralSchema, { literalType: { case: "integer", value: value as number } });
    case "long":
      if (!Number.isInteger(value)) throw bad();
      return create(Expression_LiteralSchema, { literalType: { case: "long", value: BigInt(value as number) } });
    case "double":
      if (typeof value !== "number") throw bad();
      return create(Expression_LiteralSchema, { literalType: { case: "double", value } });
    case "string":
      if (typeof value !== "string") throw bad();
      return create(Expression_LiteralSchema, { literalType: { case: "string", value } });
    case "boolean":
      if (typeof value !== "boolean") throw bad();
      return create(Expression_LiteralSchema, { literalType: { case: "boolean", value } });
    case "string[]":
    case "double[]":
    case "int[]": {
      if (!Array.isArray(value)) throw bad();
      const el = ({ "string[]": "string", "double[]": "double", "int[]": "int" } as const)[type];
      const elementType = el === "string" ? stringType() : el === "double" ? doubleType() : intType();
      return create(Expression_LiteralSchema, {
        literalType: { case: "array", value: { elementType, elements: value.map((v, i) => literal(v, el, `${where}[${i}]`)) } },
      });
    }
  }
}

/** A literal's JS value (numbers, strings, booleans, nested arrays); bigint longs become numbers. */
export function literalValue(l: Expression_Literal | undefined): unknown {
  if (!l) return undefined;
  const t = l.literalType;
  switch (t.case) {
    case "long":
      return Number(t.value);
    case "array":
      return t.value.elements.map(literalValue);
    case "struct":
      return t.value.elements.map(literalValue);
    case "null":
    case undefined:
      return null;
    case "decimal":
      return Number(t.value.value);
    case "calendarInterval":
    case "specializedArray":
    case "map":
      return t.value;
    default:
      return t.value;
  }
}
