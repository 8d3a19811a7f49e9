import { InputError } from "../core/errors.js";
import type { RunListing } from "../runs/list-runs.js";
import { formatGain, formatMetric, formatParam, formatTime } from "./format-run-values.js";
import { textTable } from "./text-table.js";

/** A column of `recpipe runs`: its header, each run's cell, and how readily it gives way when the terminal is narrow. */
interface Column {
  name: string;
  cells: string[];
  right: boolean;
  /** Lower is kept first when not every column fits. */
  priority: number;
}

/** No param cell is wider than this: a long value (a grid, a hash, a path) is cut with "…" rather than widening every row. */
const MAX_PARAM_CELL = 24;

/**
 * The table `recpipe runs` prints, fitted to `width` characters: columns are kept by priority (run, status, the first
 * metric, the tuner's choices (`best.als.regParam`), differing params, the other metrics, time, gains) until the next would not fit, shown in their usual order, and
 * the ones left out are named under the table. `columns` picks and orders the columns instead (any param key of
 * the runs, a metric, "<metric> vs best baseline", time or status; the run name always comes first).
 */
export function formatListing(l: RunListing, opts: { width?: number; columns?: string[] } = {}): string {
  if (l.runs.length === 0) return "no run directories found\n";
  const width = opts.width ?? 100;
  const param = (name: string, cells: unknown[], priority: number): Column => ({ name, cells: cells.map((v) => cut(formatParam(v))), right: false, priority });
  // The first metric outranks every param; the other metrics give way to the params that differ.
  const metric = (m: string): Column[] => [
    { name: m, cells: l.runs.map((r) => formatMetric(r.metrics[m])), right: true, priority: m === l.metricKeys[0] ? 2 : 4.5 },
    {
      name: `${m} vs best baseline`,
      cells: l.runs.map((r) => (r.gains[m] ? `${formatGain(r.gains[m].gain)} ${r.gains[m].baseline}` : "")),
      right: true,
      priority: 6,
    },
  ];
  const runCol: Column = { name: "run", cells: l.runs.map((r) => r.run), right: false, priority: 0 };
  const time: Column = { name: "time", cells: l.runs.map((r) => formatTime(r.createdAt)), right: false, priority: 5 };
  const status: Column = { name: "status", cells: l.runs.map((r) => r.status), right: false, priority: 1 };

  let shown: Column[];
  let left: Column[] = [];
  if (opts.columns) {
    shown = [runCol, ...opts.columns.map((name) => pickColumn(l, name, { time, status, metric, param }))];
  } else {
    const all = [
      runCol,
      time,
      status,
      ...l.chosenKeys.map((k) =>
        param(
          `best.${k.slice("tune.best.".length)}`,
          l.runs.map((r) => r.params[k]),
          3,
        ),
      ),
      ...l.differingKeys.map((k) =>
        param(
          k,
          l.runs.map((r) => r.differing[k]),
          4,
        ),
      ),
      ...l.metricKeys.flatMap(metric),
    ];
    const keep = new Set<Column>();
    let used = 0;
    const byPriority = all.map((c, i) => ({ c, i })).sort((a, b) => a.c.priority - b.c.priority || a.i - b.i);
    for (const { c } of byPriority) {
      const w = Math.max(c.name.length, ...c.cells.map((x) => x.length)) + (keep.size ? 2 : 0);
      if (keep.size > 0 && used + w > width) continue;
      keep.add(c);
      used += w;
    }
    shown = all.filter((c) => keep.has(c));
    left = all.filter((c) => !keep.has(c));
  }
  const right = new Set(shown.flatMap((c, i) => (c.right ? [i] : [])));
  let out = textTable(
    shown.map((c) => c.name),
    l.runs.map((_, r) => shown.map((c) => c.cells[r])),
    right,
  );
  if (left.length) out += wrap(`(not shown at width ${width}: ${left.map((c) => c.name).join(", ")}; pick columns with --columns, or --json)`, width);
  const notes = l.runs.filter((r) => r.problem).map((r) => `  ${r.run}: ${r.status}: ${r.problem}`);
  if (notes.length) out += `\n${notes.join("\n")}\n`;
  if (l.differingKeys.length === 0 && l.runs.length > 1) out += "\n(the listed runs share every param)\n";
  return out;
}

function pickColumn(
  l: RunListing,
  name: string,
  make: { time: Column; status: Column; metric: (m: string) => Column[]; param: (name: string, cells: unknown[], priority: number) => Column },
): Column {
  if (name === "time") return make.time;
  if (name === "status") return make.status;
  const m = l.metricKeys.find((k) => name === k || name === `${k} vs best baseline`);
  if (m) return make.metric(m)[name === m ? 0 : 1];
  const key = name.startsWith("best.") ? `tune.${name}` : name;
  if (l.differingKeys.includes(key))
    return make.param(
      name,
      l.runs.map((r) => r.differing[key]),
      0,
    );
  if (l.runs.some((r) => key in r.params))
    return make.param(
      name,
      l.runs.map((r) => r.params[key]),
      0,
    );
  const known = [
    "time",
    "status",
    ...l.metricKeys,
    ...l.chosenKeys.map((k) => k.slice("tune.".length)),
    ...new Set(l.runs.flatMap((r) => Object.keys(r.params))),
  ];
  throw new InputError(
    "E_ARGS",
    `runs --columns ${name}: no listed run has a column or param "${name}"; columns: ${known.slice(0, 30).join(", ")}${known.length > 30 ? ", ..." : ""}`,
  );
}

/** Words joined into lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join("\n") + "\n";
}

/** A cell no wider than MAX_PARAM_CELL: the start and the end kept, the middle cut. */
function cut(s: string): string {
  if (s.length <= MAX_PARAM_CELL) return s;
  const keep = MAX_PARAM_CELL - 1;
  return `${s.slice(0, Math.ceil(keep / 2))}…${s.slice(s.length - Math.floor(keep / 2))}`;
}
