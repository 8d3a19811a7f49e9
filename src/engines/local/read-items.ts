import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { Table, type Vector } from "apache-arrow";
import { InputError } from "../../core/errors.js";
import { sha256Path } from "../../io/hash-path.js";
import { readTable, readTableSample } from "../../io/read-table.js";
import { displayPath } from "../../io/display-path.js";
import { ItemAttributes } from "../../model/item-attributes.js";
import type { InputRecord } from "../engine.js";
import type { ItemsSpec } from "../../spec/spec.js";

/**
 * Reads `items: {path, idCol, cols}`: the id column and the attribute columns of the items file, checked (the columns
 * exist, one row per id) before anything is fitted. The manifest records the file like the ratings.
 */
export async function readItems(spec: ItemsSpec, baseDir: string): Promise<{ attributes: ItemAttributes; input: InputRecord }> {
  const { path, shown } = itemsPath(spec, baseDir);
  const table = await readTable(shown, readOptions(spec));
  const cols = checkColumns(
    spec,
    table.schema.fields.map((f) => f.name),
    shown,
  );
  const picked: Record<string, Vector> = {};
  for (const c of [spec.idCol, ...cols]) picked[c] = table.getChild(c)!;
  const attributes = new ItemAttributes(new Table(picked), spec.idCol, cols, `items (${shown})`);
  const st = statSync(path);
  return { attributes, input: { kind: "file", path, bytes: st.isFile() ? st.size : undefined, sha256: await sha256Path(path), rows: table.numRows } };
}

/** `recpipe validate`: the items file exists and has the named columns (from its first rows). */
export async function checkItemsColumns(spec: ItemsSpec, baseDir: string): Promise<void> {
  const { shown } = itemsPath(spec, baseDir);
  const sample = await readTableSample(shown, readOptions(spec));
  checkColumns(
    spec,
    sample.schema.fields.map((f) => f.name),
    shown,
  );
}

function itemsPath(spec: ItemsSpec, baseDir: string): { path: string; shown: string } {
  const path = isAbsolute(spec.path) ? spec.path : resolve(baseDir, spec.path);
  const shown = displayPath(path);
  if (!existsSync(path))
    throw new InputError(
      "E_FILE",
      `items.path: items file ${shown} does not exist (path "${spec.path}" resolves from the pipeline file's folder ${displayPath(baseDir)})`,
    );
  return { path, shown };
}

function readOptions(spec: ItemsSpec) {
  const { format, header, columns, delimiter, encoding, types } = spec;
  return { format, header, columns, delimiter, encoding, types };
}

function checkColumns(spec: ItemsSpec, found: string[], shown: string): string[] {
  if (!found.includes(spec.idCol)) {
    throw new InputError("E_COLUMN", `items.idCol: expected column "${spec.idCol}" in ${shown}; found columns ${found.join(", ")}`);
  }
  const cols = spec.cols ?? found.filter((c) => c !== spec.idCol);
  const missing = cols.filter((c) => !found.includes(c));
  if (missing.length > 0)
    throw new InputError(
      "E_COLUMN",
      `items.cols: expected column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} in ${shown}; found columns ${found.join(", ")}`,
    );
  if (cols.includes(spec.idCol)) throw new InputError("E_SPEC", `items.cols: "${spec.idCol}" is the idCol (the join key); expected attribute columns only`);
  if (cols.length === 0)
    throw new InputError("E_SPEC", `items.cols: ${shown} has no column besides idCol "${spec.idCol}"; expected at least one attribute column`);
  return cols;
}
