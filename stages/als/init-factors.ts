/**
 * Initial ALS factors, as Spark's ALS.initialize shapes them: each id gets a vector of independent standard
 * normals normalised to unit length (a uniform random direction). Each vector is drawn from a stream seeded by
 * (seed, side, id) alone, so it does not depend on the worker count, on the other ids present or on their order.
 *
 * This is recpipe's own stream (murmur3 finalisers + mulberry32 + Box-Muller), not Spark's XORShiftRandom
 * sequence; swap this function for a port of Spark's exact stream when bit-parity with Spark is wanted.
 */
export type FactorSide = "user" | "item";

export function initFactors(ids: Int32Array, rank: number, seed: number, side: FactorSide): Float32Array {
  const out = new Float32Array(ids.length * rank);
  const seedLo = seed >>> 0; // ToUint32 is exact modulo 2^32 for every safe integer, negative ones included
  const seedHi = Math.floor(seed / 4294967296) >>> 0;
  const sideKey = fmix32(seedHi ^ (side === "user" ? 0x75736572 : 0x6974656d));
  const v = new Float64Array(rank);
  for (let n = 0; n < ids.length; n++) {
    let state = fmix32(Math.imul(fmix32(seedLo ^ sideKey), 0x9e3779b1) ^ ids[n]) ^ sideKey;
    const next = (): number => {
      // mulberry32
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let norm = 0;
    for (let i = 0; i < rank; i += 2) {
      // Box-Muller: two normals from two uniforms; 1 - u keeps the log argument in (0, 1]
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      const theta = 2 * Math.PI * next();
      v[i] = r * Math.cos(theta);
      if (i + 1 < rank) v[i + 1] = r * Math.sin(theta);
    }
    for (let i = 0; i < rank; i++) norm += v[i] * v[i];
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < rank; i++) out[n * rank + i] = v[i] * inv;
  }
  return out;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
