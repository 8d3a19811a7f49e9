import { DataType } from "apache-arrow";
import type { FileSourceSpec } from "../../spec/spec.js";
import { ident } from "./transport/sql-text.js";

type DeclaredType = NonNullable<FileSourceSpec["types"]>[string];

/** A pipeline file's declared column type as Spark SQL's type name. */
export const SPARK_TYPE_OF_DECLARED: Record<DeclaredType, string> = { string: "STRING", int32: "INT", int64: "BIGINT", float32: "FLOAT", float64: "DOUBLE" };

/**
 * Spark's DDL type for a column Spark inferred and sent back as Arrow (what its CSV and JSON readers infer: integers,
 * doubles, decimals, booleans, strings, dates, timestamps); undefined for anything else.
 */
export function sparkTypeOfArrow(t: DataType): string | undefined {
  if (DataType.isInt(t)) return ({ 8: "TINYINT", 16: "SMALLINT", 32: "INT", 64: "BIGINT" } as Record<number, string>)[t.bitWidth];
  if (DataType.isFloat(t)) return t.precision === 1 ? "FLOAT" : "DOUBLE";
  if (DataType.isDecimal(t)) return `DECIMAL(${t.precision},${t.scale})`;
  if (DataType.isBool(t)) return "BOOLEAN";
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return "STRING";
  if (DataType.isDate(t)) return "DATE";
  if (DataType.isTimestamp(t)) return t.timezone ? "TIMESTAMP" : "TIMESTAMP_NTZ";
  return undefined;
}

/** A DDL schema string ("`a` INT, `b` STRING") for Spark's DataSource reader. */
export function ddlSchema(fields: { name: string; type: string }[]): string {
  return fields.map((f) => `${ident(f.name)} ${f.type}`).join(", ");
}
