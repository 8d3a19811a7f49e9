import { readFileSync } from "node:fs";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { InputError } from "../core/errors.js";

/**
 * A YAML file parsed with source positions, so errors can say `pipelines/x.yaml:14:12`. Parsing uses the core
 * schema without custom tags: YAML never constructs objects or runs code (issue 6, safety).
 */
export interface YamlFile {
  path: string;
  /** Path as shown in messages (relative to the working directory when shorter). */
  display: string;
  doc: Document;
  lines: LineCounter;
  value: unknown;
}

export function readYamlFile(path: string, display: string): YamlFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      "E_FILE",
      `${display}: cannot read the pipeline file (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : String(code)})`,
    );
  }
  return parseYamlText(text, path, display);
}

export function parseYamlText(text: string, path: string, display: string): YamlFile {
  const lines = new LineCounter();
  // resolveKnownTags: false, or the yaml library would still build Buffers (!!binary), Sets (!!set), Dates
  // (!!timestamp) and ordered maps (!!omap): a pipeline file holds plain data only.
  const doc = parseDocument(text, { lineCounter: lines, schema: "core", customTags: [], resolveKnownTags: false, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    // prettyErrors is off (it would embed a source excerpt), so the position comes from the offset.
    const pos = e.linePos?.[0] ?? (e.pos ? lines.linePos(e.pos[0]) : undefined);
    const first = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new InputError("E_YAML", `${display}${pos ? `:${pos.line}:${pos.col}` : ""} is not valid YAML: ${first}`);
  }
  for (const w of doc.warnings)
    if (w.code === "TAG_RESOLVE_FAILED") throw new InputError("E_YAML", `${display}: custom YAML tags are not allowed (${w.message.split("\n")[0]})`);
  const value = doc.toJS({ maxAliasCount: 100 });
  return { path, display, doc, lines, value };
}

/** `file:line:col` of the value (or, for a missing or unknown key, the key) at `path`, or of the nearest existing parent. */
export function positionOf(file: YamlFile, path: (string | number)[], preferKey = false): string {
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(file.doc.contents as Node | null, path.slice(0, n), preferKey && n === path.length);
    if (node?.range) {
      const p = file.lines.linePos(node.range[0]);
      return `${file.display}:${p.line}:${p.col}`;
    }
  }
  return file.display;
}

function nodeAt(root: Node | null, path: (string | number)[], wantKey: boolean): Node | null {
  let cur: Node | null = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(cur)) {
      const pair = cur.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) return null;
      if (wantKey && i === path.length - 1) return pair.key as Node;
      cur = pair.value as Node | null;
    } else if (isSeq(cur) && typeof seg === "number") {
      cur = (cur.items[seg] as Node | undefined) ?? null;
    } else return null;
  }
  return cur;
}
