/**
 * CSV ingest throughput: `npx tsx bench/ingest.ts [rows]`. Generates `u<id>,v<id>,<rating>` (string ids, the
 * shape the brief's scale target names) and an all-numeric ML-25M-like file in .bench-data/, then times readTable.
 */
import { mkdirSync, existsSync, statSync, createWriteStream } from "node:fs";
import path from "node:path";
import { readTable } from "../src/io/read-table.js";

const rows = Number(process.argv[2] ?? 2_000_000);
const dir = path.resolve(".bench-data");
mkdirSync(dir, { recursive: true });

async function generate(file: string, line: (i: number, rnd: () => number) => string, header: string): Promise<void> {
  if (existsSync(file)) return;
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const out = createWriteStream(file);
  out.write(header + "\n");
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    chunk += line(i, rnd);
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      chunk = "";
    }
  }
  out.write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
}

async function time(label: string, file: string): Promise<void> {
  global.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const table = await readTable(file);
  const secs = (performance.now() - t0) / 1000;
  const after = process.memoryUsage();
  const retained = after.arrayBuffers + after.heapUsed - before.arrayBuffers - before.heapUsed;
  const mb = statSync(file).size / 1e6;
  console.log(
    `${label}: ${table.numRows} rows, ${mb.toFixed(0)} MB in ${secs.toFixed(2)} s = ${(table.numRows / secs / 1e6).toFixed(2)} M rows/s, ` +
      `${(mb / secs).toFixed(0)} MB/s; types ${table.schema.fields.map((f) => `${f.name}:${f.type}`).join(", ")}; ` +
      `~${(retained / table.numRows).toFixed(0)} B/row held after read`,
  );
}

const stringIds = path.join(dir, `strings-${rows}.csv`);
await generate(stringIds, (_i, rnd) => `u${Math.floor(rnd() * 100000)},v${Math.floor(rnd() * 20000)},${(rnd() * 5).toFixed(4)}\n`, "user,item,rating");
const numeric = path.join(dir, `ml25m-like-${rows}.csv`);
await generate(
  numeric,
  (i, rnd) => `${1 + Math.floor(i / 150)},${1 + Math.floor(rnd() * 60000)},${(Math.floor(rnd() * 10) + 1) / 2},${1500000000 + Math.floor(rnd() * 1e8)}\n`,
  "userId,movieId,rating,timestamp",
);
for (let rep = 0; rep < 2; rep++) {
  await time(`string ids (u123,v456,1.2345) run ${rep + 1}`, stringIds);
  await time(`ML-25M-like numeric run ${rep + 1}`, numeric);
}
