/**
 * Synthetic ratings with a real catalogue's skew, for the benchmarks: item popularity Zipf-Mandelbrot (s = 1.0,
 * q = 40: at 162,541 x 59,047 and 25M ratings the top item holds 0.34 %, like MovieLens-25M), user activity
 * Zipf (s = 0.6), both over shuffled ids. Deterministic for a seed.
 */
import type { AlsRatings } from "../stages/als/train.js";

/** Zipf-Mandelbrot: p(i) ~ 1 / (i + 1 + q)^s. */
function zipfCdf(n: number, s: number, q: number): Float64Array {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cdf[i] = acc += 1 / Math.pow(i + 1 + q, s);
  for (let i = 0; i < n; i++) cdf[i] /= acc;
  return cdf;
}

function sample(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** nnz ratings 1..5 over users x items (ids 1..n, shuffled), item popularity Zipf-Mandelbrot(1, 40), user activity Zipf(0.6). */
export function zipfRatings({
  nnz,
  users,
  items,
  seed,
}: {
  nnz: number;
  users: number;
  items: number;
  seed: number;
}): AlsRatings & { user: Int32Array; item: Int32Array } {
  let s = seed | 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const perm = (n: number): Int32Array => {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  };
  const itemCdf = zipfCdf(items, 1.0, 40);
  const userCdf = zipfCdf(users, 0.6, 0);
  const itemPerm = perm(items);
  const userPerm = perm(users);
  const r = { user: new Int32Array(nnz), item: new Int32Array(nnz), rating: new Float32Array(nnz) };
  for (let i = 0; i < nnz; i++) {
    r.user[i] = userPerm[sample(userCdf, rand())] + 1;
    r.item[i] = itemPerm[sample(itemCdf, rand())] + 1;
    r.rating[i] = 1 + Math.floor(rand() * 5);
  }
  return r;
}
