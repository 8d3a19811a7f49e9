import { Dictionary, Int32, makeData, makeVector, Table, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { z } from "zod";
import { SeededRandom } from "../core/rng.js";

/**
 * Built-in offline data: ratings planted from a low-rank model plus Gaussian noise, with string ids ("u17", "i4"), so
 * the quickstart, tests and benchmarks need no download. A good model's test RMSE approaches `noise`.
 */
export const syntheticRatingsParams = z
  .object({
    users: z.number().int().min(1).default(2000).describe("number of users"),
    items: z.number().int().min(1).default(1000).describe("number of items"),
    rank: z.number().int().min(1).default(5).describe("rank of the planted model (factor 0 carries the mean)"),
    density: z.number().gt(0).lte(1).default(0.05).describe("fraction of (user, item) pairs rated"),
    noise: z.number().min(0).default(0.3).describe("standard deviation of the Gaussian noise added to each rating"),
    mean: z.number().default(3.5).describe("global mean rating"),
    skew: z.number().min(0).default(0).describe("Zipf exponent of item popularity (0 = uniform)"),
    preference: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe(
        "how much the planted taste decides WHICH items a user rates (0 = at random; 1 = the best of 3 random candidates), so ranking metrics have something to find",
      ),
    seed: z.number().int().optional().describe("default: the pipeline seed"),
  })
  .strict();

export type SyntheticRatingsParams = z.output<typeof syntheticRatingsParams>;

export interface SyntheticRatings {
  table: Table;
  /** Planted factors (for tests): users x rank and items x rank, row-major. */
  userFactors: Float64Array;
  itemFactors: Float64Array;
}

export function syntheticRatings(p: SyntheticRatingsParams, seed: number): SyntheticRatings {
  const rng = new SeededRandom(p.seed ?? seed);
  // The planted matrix has exactly rank `rank`: factor 0 carries the global mean (sqrt(mean) on both sides), the
  // others are Gaussian scaled so that their part of u.v has unit variance. A rank-`rank` ALS can then reach `noise`.
  const free = Math.max(1, p.rank - 1);
  const scale = Math.pow(1 / free, 0.25);
  const root = Math.sqrt(Math.abs(p.mean));
  const plant = (n: number, sign: number) =>
    Float64Array.from({ length: n * p.rank }, (_, k) => (k % p.rank === 0 && p.rank > 1 ? sign * root : rng.nextGaussian() * scale));
  const U = plant(p.users, 1);
  const V = plant(p.items, Math.sign(p.mean) || 1);
  const popularity = cumulativePopularity(p.items, p.skew);
  const perUser = Math.max(1, Math.round(p.items * p.density));
  // Typed arrays sized from the expected count (each user rates perUser x U(0.5, 1.5) items, so the total is within
  // a fraction of a percent of users x perUser), grown by a quarter if ever exceeded. A JS number[] here would abort
  // the process past V8's largest array (about 170M entries), and doubling would cost 2x the memory at the peak.
  let capacity = Math.ceil(p.users * Math.min(p.items, perUser) * 1.01) + 1024;
  let users: Int32Array = new Int32Array(capacity);
  let items: Int32Array = new Int32Array(capacity);
  let n = 0;
  const seen = new Uint8Array(p.items);
  const k = p.rank;
  // One user's candidate items; a typed array so the per-user sort is the engine's native numeric sort.
  const picked = new Int32Array(Math.min(p.items, Math.ceil(perUser * 1.5) * (p.preference > 0 ? 3 : 1) + 3));
  for (let u = 0; u < p.users; u++) {
    // Poisson-like spread of ratings per user around the mean count, at least one each.
    const count = Math.min(p.items, Math.max(1, Math.round(perUser * (0.5 + rng.nextDouble()))));
    let m = 0;
    // With preference > 0, draw 3x the candidates and keep those the user's planted taste scores highest (mixed
    // with noise by 1 - preference): users rate what they like, as in real feedback.
    const want = p.preference > 0 ? Math.min(p.items, count * 3) : count;
    let guard = 0;
    while (m < want && guard++ < want * 20) {
      const i = drawItem(popularity, p.items, rng.nextDouble());
      if (!seen[i]) {
        seen[i] = 1;
        picked[m++] = i;
      }
    }
    if (want > count) {
      const score = new Map<number, number>();
      for (let j = 0; j < m; j++) {
        const i = picked[j];
        let dot = 0;
        for (let f = 1; f < k; f++) dot += U[u * k + f] * V[i * k + f];
        score.set(i, p.preference * dot + (1 - p.preference) * rng.nextGaussian());
      }
      picked.subarray(0, m).sort((a, b) => score.get(b)! - score.get(a)! || a - b);
      for (let j = count; j < m; j++) seen[picked[j]] = 0;
      m = Math.min(m, count);
    }
    const own = picked.subarray(0, m).sort();
    if (n + m > capacity) {
      capacity = Math.max(n + m, Math.ceil(capacity * 1.25));
      users = grow(users, capacity);
      items = grow(items, capacity);
    }
    for (let j = 0; j < m; j++) {
      seen[own[j]] = 0;
      users[n] = u;
      items[n++] = own[j];
    }
  }
  // Views, not copies: the unused tail is about 1%, a copy would be another 8 bytes a rating at the peak.
  const userCodes = users.subarray(0, n);
  const itemCodes = items.subarray(0, n);
  const rating = new Float32Array(n);
  const timestamp = new Int32Array(n);
  const offset = p.rank === 1 ? p.mean : 0;
  for (let r = 0; r < n; r++) {
    const uo = userCodes[r] * k;
    const io = itemCodes[r] * k;
    let dot = 0;
    for (let f = 0; f < k; f++) dot += U[uo + f] * V[io + f];
    rating[r] = dot + offset + p.noise * rng.nextGaussian();
    timestamp[r] = 1_600_000_000 + Math.floor(rng.nextDouble() * 31_536_000);
  }
  const table = new Table({
    user: dictionaryColumn(userCodes, "u", p.users),
    item: dictionaryColumn(itemCodes, "i", p.items),
    rating: makeVector(rating),
    timestamp: makeVector(timestamp),
  });
  return { table, userFactors: U, itemFactors: V };
}

function grow(a: Int32Array, capacity: number): Int32Array {
  const out = new Int32Array(capacity);
  out.set(a);
  return out;
}

function dictionaryColumn(codes: Int32Array, prefix: string, size: number): Vector {
  const labels = vectorFromArray(
    Array.from({ length: size }, (_, i) => `${prefix}${i}`),
    new Utf8(),
  );
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length: codes.length, nullCount: 0, data: codes, dictionary: labels }));
}

function cumulativePopularity(items: number, skew: number): Float64Array | null {
  if (skew === 0) return null;
  const c = new Float64Array(items);
  let s = 0;
  for (let i = 0; i < items; i++) c[i] = s += 1 / Math.pow(i + 1, skew);
  for (let i = 0; i < items; i++) c[i] /= s;
  return c;
}

function drawItem(cum: Float64Array | null, items: number, x: number): number {
  if (!cum) return Math.floor(x * items);
  let lo = 0,
    hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
