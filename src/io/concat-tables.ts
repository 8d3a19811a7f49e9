import { Table } from "apache-arrow";
import { InputError } from "../core/errors.js";

/** Concatenates part tables (Spark part files) after checking they share one schema. */
export function concatTables(tables: Table[], where: string): Table {
  const first = tables[0];
  const shape = (t: Table) => t.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(",");
  const expected = shape(first);
  for (const t of tables.slice(1)) {
    const got = shape(t);
    if (got !== expected) throw new InputError("E_DATA", `${where}: part files disagree on the schema: ${expected} vs ${got}`);
  }
  const nonEmpty = tables.filter((t) => t.numRows > 0);
  if (nonEmpty.length === 0) return first;
  // Batches keep the first part's schema object so metadata and nullability stay those of the first file.
  return new Table(
    first.schema,
    nonEmpty.flatMap((t) => t.batches),
  );
}
