/**
 * Wall time of the MovieLens 100k cross-validated search (pipelines/movielens-100k-cv.yaml: 3 folds x 6 param maps,
 * then the refit and the test evaluation) at tune.parallelism 1 and 2, 2 workers, median of N runs.
 *
 *   npx tsx bench/cv-wall.ts [--runs 3] [--data ../shared/data/movielens-100k/u.data]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("--runs", "3"));
const data = resolve(arg("--data", "../shared/data/movielens-100k/u.data"));
if (!existsSync(data)) throw new Error(`${data} not found: pass --data /path/to/u.data`);

for (const parallelism of [1, 2]) {
  const walls: number[] = [];
  let tune = 0;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      [
        "dist/src/cli/main.js",
        "run",
        "pipelines/movielens-100k-cv.yaml",
        "--json",
        "--quiet",
        "--workers",
        "2",
        "--out",
        ".bench-data/runs",
        "--set",
        `source.path=${data}`,
        "--set",
        `tune.parallelism=${parallelism}`,
      ],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    walls.push((performance.now() - t0) / 1000);
    tune = (JSON.parse(r.stdout) as { timingsSeconds: { tune: number } }).timingsSeconds.tune;
  }
  walls.sort((a, b) => a - b);
  console.log(
    `| parallelism ${parallelism} | ${walls[Math.floor(runs / 2)].toFixed(2)} s | tune phase ${tune.toFixed(2)} s | runs ${walls.map((w) => w.toFixed(2)).join(", ")} |`,
  );
}
