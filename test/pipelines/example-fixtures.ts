import { writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Small files shaped like the real data each example pipeline reads: same file format, column names, id types and
 * rating ranges, a few thousand rows. Ratings come from planted low-rank taste (user and item vectors) plus noise, so
 * a model has something to learn; everything is drawn from a fixed seed, so the files are the same every run.
 */

/** mulberry32: a tiny deterministic generator, enough for fixtures. */
function randomStream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planted {
  /** Affinity of user u for item i, roughly in [-1, 1]. */
  affinity(u: number, i: number): number;
  random: () => number;
}

function planted(users: number, items: number, seed: number, rank = 3): Planted {
  const random = randomStream(seed);
  const vec = () => Array.from({ length: rank }, () => random() * 2 - 1);
  const U = Array.from({ length: users }, vec);
  const V = Array.from({ length: items }, vec);
  return { random, affinity: (u, i) => U[u].reduce((s, x, f) => s + x * V[i][f], 0) / Math.sqrt(rank) };
}

/** Distinct items for one user, drawn with a popularity skew (low item numbers are drawn more often). */
function itemsFor(random: () => number, items: number, count: number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, items)) picked.add(Math.floor(items * random() ** 1.6));
  return [...picked];
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** MovieLens u.data: user id \t item id \t rating 1-5 (integer) \t unix time, no header, ids from 1. */
export function writeMovieLensUData(dir: string): string {
  const users = 150;
  const items = 120;
  const p = planted(users, items, 100);
  const lines: string[] = [];
  for (let u = 0; u < users; u++) {
    for (const i of itemsFor(p.random, items, 15 + Math.floor(p.random() * 15))) {
      const rating = clamp(Math.round(3.5 + 2 * p.affinity(u, i) + (p.random() - 0.5)), 1, 5);
      lines.push(`${u + 1}\t${i + 1}\t${rating}\t${874724710 + Math.floor(p.random() * 2e7)}`);
    }
  }
  const file = path.join(dir, "u.data");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/** Last.fm user_artists.dat: header userID\tartistID\tweight, CRLF line ends, play counts with a heavy tail. */
export function writeLastfmUserArtists(dir: string): string {
  const users = 150;
  const items = 300;
  const p = planted(users, items, 200);
  const lines = ["userID\tartistID\tweight"];
  for (let u = 0; u < users; u++) {
    // A user's artists are the ones they like most among a popularity-skewed sample: that is the signal to learn.
    const sample = itemsFor(p.random, items, 60);
    const liked = sample.sort((a, b) => p.affinity(u, b) - p.affinity(u, a) || a - b).slice(0, 20);
    for (const i of liked.sort((a, b) => a - b)) {
      const weight = Math.max(1, Math.round(Math.exp(4 + 3 * p.affinity(u, i) + 1.5 * p.random())));
      lines.push(`${u + 2}\t${i + 51}\t${weight}`);
    }
  }
  const file = path.join(dir, "user_artists.dat");
  writeFileSync(file, lines.join("\r\n") + "\r\n");
  return file;
}

/**
 * Amazon 5-core reviews: one JSON object per line with every field of the real file; reviewerID like
 * "A2IBPI20UZIR0U", asin either ten digits ("1384719342", an ISBN: a string that looks like a number) or "B00...".
 * Every reviewer and every product has at least 5 reviews, as in a 5-core subset. `dirty` adds what a raw export
 * holds and prepare: cleans: 40 later re-reviews of a (reviewer, product) pair with another rating and time, 15
 * reviews whose overall is "N/A", and 6 reviewers with 2 reviews each (below any k-core).
 */
export function writeAmazonReviews(dir: string, dirty = false): string {
  const users = 250;
  const items = 150;
  const p = planted(users, items, 300);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const reviewer = (u: number) =>
    "A" + Array.from({ length: 12 + (u % 3) }, (_, j) => alphabet[(u * 7919 + j * 104729 + j * j * 31) % 36]).join("") + String(u);
  const asin = (i: number) => (i % 10 === 0 ? String(1384719342 + i * 9973) : `B000${(i * 48271).toString(36).toUpperCase().padStart(6, "0")}`);
  const lines: string[] = [];
  const perItem = new Array<number>(items).fill(0);
  for (let u = 0; u < users; u++) {
    const chosen = itemsFor(p.random, items, 6 + Math.floor(p.random() * 10));
    // Round-robin items too, so every product reaches 5 reviews.
    for (let j = 0; j < 3; j++) chosen.push((u * 3 + j) % items);
    for (const i of [...new Set(chosen)]) {
      perItem[i]++;
      const overall = clamp(Math.round(4.3 + 1.5 * p.affinity(u, i) + (p.random() - 0.5)), 1, 5);
      const t = 1262304000 + Math.floor(p.random() * 1.3e8);
      lines.push(
        JSON.stringify({
          reviewerID: reviewer(u),
          asin: asin(i),
          reviewerName: `reviewer ${u}`,
          helpful: [Math.floor(p.random() * 3), 3],
          reviewText: "Works as described.",
          overall: overall + 0.0,
          summary: overall >= 4 ? "good" : "meh",
          unixReviewTime: t,
          reviewTime: new Date(t * 1000).toISOString().slice(0, 10),
          // The real file writes ratings as 5.0, which readers type as floating point; JSON.stringify would write 5.
        }).replace(/"overall":(\d)(?=,)/, '"overall":$1.0'),
      );
    }
  }
  if (perItem.some((n) => n < 5)) throw new Error("fixture is not 5-core");
  if (dirty) {
    const clean = lines.length;
    for (let k = 0; k < 40; k++) {
      const o = JSON.parse(lines[(k * 131) % clean]) as { overall: number; unixReviewTime: number };
      lines.push(JSON.stringify({ ...o, overall: 6 - o.overall, unixReviewTime: o.unixReviewTime + 86400 }).replace(/"overall":(\d)(?=,)/, '"overall":$1.0'));
    }
    for (let k = 0; k < 15; k++)
      lines.push(lines[(k * 197 + 7) % clean].replace(/"overall":\d\.0/, '"overall":"N/A"').replace(/"asin":"[^"]*"/, `"asin":"${asin((k * 13) % items)}"`));
    for (let k = 0; k < 6; k++)
      for (let j = 0; j < 2; j++)
        lines.push(
          JSON.stringify({ reviewerID: `AONCE${k}`, asin: asin(k + j), overall: 5.0, unixReviewTime: 1262304000 + k }).replace(
            /"overall":(\d)(?=,)/,
            '"overall":$1.0',
          ),
        );
  }
  const file = path.join(dir, "Musical_Instruments_5.json");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/**
 * KuaiRec small_matrix.csv: fully observed users x videos, header
 * user_id,video_id,play_duration,video_duration,time,date,timestamp,watch_ratio; watch_ratio = play/video duration,
 * mostly in [0, 3] with a long tail; a few rows miss time/date/timestamp, as in the real file, a few have a negative
 * timestamp and 25 rows are exact copies of earlier ones: what the seed notebook's cleaning (dropna, drop_duplicates,
 * timestamp >= 0) removes.
 */
export function writeKuaiRecSmallMatrix(dir: string): string {
  const users = 60;
  const items = 50;
  const p = planted(users, items, 400);
  const lines = ["user_id,video_id,play_duration,video_duration,time,date,timestamp,watch_ratio"];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) {
      const videoMs = 5000 + ((i * 7717) % 40000);
      const ratio = Math.max(0, Math.exp(0.6 * p.affinity(u, i) - 0.2 + 0.3 * (p.random() - 0.5)) - 0.1);
      const playMs = Math.round(ratio * videoMs);
      const ts = 1593878400 + Math.floor(p.random() * 5e6) + 0.5;
      const d = new Date(ts * 1000);
      const missing = (u * items + i) % 97 === 0;
      const time = missing ? "" : `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)}`;
      const date = missing ? "" : d.toISOString().slice(0, 10).replaceAll("-", "");
      const negative = !missing && (u * items + i) % 89 === 5;
      lines.push(
        `${u + 14},${i + 103},${playMs},${videoMs},${time},${date},${missing ? "" : negative ? "-1.000" : ts.toFixed(3)},${(playMs / videoMs).toString()}`,
      );
    }
  }
  const rows = lines.length;
  for (let k = 0; k < 25; k++) lines.push(lines[1 + ((k * 113) % (rows - 1))]);
  const file = path.join(dir, "small_matrix.csv");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}
