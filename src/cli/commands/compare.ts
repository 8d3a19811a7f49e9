import type { Command } from "commander";
import { writeFile } from "node:fs/promises";
import { compareRuns, type RunComparison } from "../../runs/compare-runs.js";
import { asWriteInputError } from "../../io/write-error.js";
import { renderComparePage, type ComparePageData } from "../../report/compare-page.js";
import { recpipeVersion } from "../../run/manifest.js";
import { formatGain, formatMetric, formatParam, formatTime } from "../format-run-values.js";
import { textTable } from "../text-table.js";

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description("what differs between runs (params, data, seed, recpipe version), their metrics side by side, and how much their recommendations overlap")
    .argument("<run-dirs...>", "two or more run directories")
    .option("--html <file>", "also write the comparison as a self-contained page with the metrics as charts")
    .option("--json", "print the comparison as one JSON object")
    .addHelpText("after", "\nExample:\n  $ recpipe compare pipelines/runs/quickstart-20260101-120000 pipelines/runs/quickstart-20260101-121500 --html cmp.html")
    .action(async (dirs: string[], o: { html?: string; json?: boolean }) => {
      const c = await compareRuns(dirs);
      if (o.html) {
        const file = o.html;
        await writeFile(file, await renderComparePage(comparePageData(c))).catch((e: unknown) => {
          throw asWriteInputError(e, file);
        });
      }
      if (o.json) process.stdout.write(JSON.stringify(c) + "\n");
      else process.stdout.write(formatComparison(c) + (o.html ? `\nwrote ${o.html}\n` : ""));
    });
}

export function formatComparison(c: RunComparison): string {
  const names = c.runs.map((r, i) => `${String.fromCharCode(65 + (i % 26))}: ${r.run}`);
  let out = `runs\n${c.runs.map((r, i) => `  ${names[i]} (${formatTime(r.createdAt)}, ${r.status}${r.problem ? `: ${r.problem}` : ""})`).join("\n")}\n\n`;
  const cols = c.runs.map((_, i) => String.fromCharCode(65 + (i % 26)));
  out += c.differences.length
    ? `what differs\n${indent(
        textTable(
          ["key", ...cols],
          c.differences.map((d) => [d.key, ...d.values.map(formatParam)]),
        ),
      )}\n`
    : "what differs: nothing (same resolved pipeline, data, seed and recpipe version)\n\n";
  if (c.chosen.length)
    out += `params the tuning chose (best param map; - for a run not tuned)\n${indent(
      textTable(
        ["key", ...cols],
        c.chosen.map((d) => [d.key.slice("tune.best.".length), ...d.values.map(formatParam)]),
      ),
    )}\n`;
  const right = new Set(cols.map((_, i) => i + 1));
  const metricRows = c.metricKeys.map((m) => [m, ...c.runs.map((r) => formatMetric(r.metrics[m]))]);
  const gainRows = c.metricKeys
    .filter((m) => c.runs.some((r) => r.gains[m]))
    .map((m) => [`${m} vs best baseline`, ...c.runs.map((r) => (r.gains[m] ? formatGain(r.gains[m].gain) : ""))]);
  out += `metrics (test set)\n${indent(textTable(["metric", ...cols], [...metricRows, ...gainRows, ...baselineRows(c)], right))}\n`;
  out += "recommendation overlap with A (share of top-k items in common per user, averaged)\n";
  for (const [i, ov] of c.overlap.entries()) {
    const col = cols[i + 1];
    out += `  ${col}: ${overlapText(ov, col)}\n`;
  }
  return out;
}

/** Each baseline's metrics (built-ins and `baselines:` model pipelines such as item-knn), as rows "metric [baseline]". */
function baselineRows(c: RunComparison): string[][] {
  const names = [...new Set(c.runs.flatMap((r) => Object.keys(r.baselines)))];
  return names.flatMap((b) =>
    c.metricKeys
      .filter((m) => c.runs.some((r) => r.baselines[b]?.[m] !== undefined))
      .map((m) => [`${m} [${b}]`, ...c.runs.map((r) => formatMetric(r.baselines[b]?.[m]))]),
  );
}

function indent(s: string): string {
  return s
    .split("\n")
    .map((l) => (l ? `  ${l}` : l))
    .join("\n");
}

/** `label` names the run compared with A (B, C, ...), so "only in B" says which run. */
function overlapText(ov: RunComparison["overlap"][number], label: string): string {
  if (ov.meanOverlap === undefined) return ov.note ?? "";
  const only = ov.usersOnlyInFirst + ov.usersOnlyInThis;
  return `${(ov.meanOverlap * 100).toFixed(1)}% over ${ov.usersCompared} users${only ? ` (${ov.usersOnlyInFirst} only in A, ${ov.usersOnlyInThis} only in ${label})` : ""}`;
}

function comparePageData(c: RunComparison): ComparePageData {
  const label = (i: number) => String.fromCharCode(65 + (i % 26));
  return {
    recpipeVersion: recpipeVersion(),
    runs: c.runs.map((r, i) => ({ label: label(i), run: r.run, createdAt: formatTime(r.createdAt), status: r.status, problem: r.problem })),
    differences: [...c.differences, ...c.chosen].map((d) => ({ key: d.key, values: d.values.map(formatParam) })),
    metrics: [
      ...c.metricKeys.map((m) => ({
        name: m,
        values: c.runs.map((r) => r.metrics[m]),
        gains: c.runs.map((r) => (r.gains[m] ? `${formatGain(r.gains[m].gain)} vs ${r.gains[m].baseline}` : undefined)),
      })),
      ...baselineRows(c).map(([name]) => {
        const [, m, b] = /^(.*) \[(.*)\]$/.exec(name)!;
        return { name, values: c.runs.map((r) => r.baselines[b]?.[m]), gains: c.runs.map(() => undefined) };
      }),
    ],
    overlap: c.overlap.map((ov, i) => ({ label: `${label(i + 1)} vs A`, text: overlapText(ov, label(i + 1)) })),
  };
}
