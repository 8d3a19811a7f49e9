/**
 * Spark's random number generators, ported bit for bit so that seeded results (ALS initial factors, randomSplit
 * assignments: src/core/spark-random-split.ts) match what Spark produces for the same seed. A kernel: the ALS
 * workers draw initial factors with it.
 *
 * Sources (apache/spark): core/.../util/random/XORShiftRandom.scala (state hashing and next(bits)),
 * java.util.Random (nextInt/nextLong/nextDouble/nextGaussian on top of next(bits)), scala.util.hashing
 * (MurmurHash3.bytesHash, byteswap64), mllib/.../ml/recommendation/ALS.scala (initialize, seedGen), and
 * core/.../util/random/RandomSampler.scala (BernoulliCellSampler), sql/.../Dataset.scala (randomSplit).
 *
 * The 64-bit xorshift state lives in two int32 halves so the per-row path (nextDouble) never touches BigInt;
 * BigInt is used only for seeding and nextLong, which are not hot.
 */
const MURMUR_ARRAY_SEED = 0x3c074a61;
const BYTESWAP_CONSTANT = 0x9e3775cd9e3775cdn; // scala.util.hashing.byteswap64's multiplier (not the golden ratio)
const TWO_POW_27 = 134217728;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function murmurMixLast(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = rotl32(k, 15);
  k = Math.imul(k, 0x1b873593);
  return h ^ k;
}

function murmurMix(h: number, k: number): number {
  h = rotl32(murmurMixLast(h, k), 13);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function murmurAvalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function byteswap32(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/**
 * Scala's MurmurHash3.bytesHash over the 8 big-endian bytes of the seed (`ByteBuffer.allocate(Long.BYTES)`), read
 * as two little-endian 32-bit words: word 0 is the byte-swapped high half. Checked against real Spark 3.5.8
 * (ALS initial factors). Older Spark allocated `Long.SIZE` = 64 bytes (56 trailing zeros): a different stream.
 */
function hashSeedBytes(seedHi: number, seedLo: number, murmurSeed: number): number {
  let h = murmurMix(murmurSeed, byteswap32(seedHi));
  h = murmurMix(h, byteswap32(seedLo));
  return murmurAvalanche(h ^ 8);
}

/** A seed as Java's long (64-bit two's complement). */
export function toLong(seed: bigint | number): bigint {
  if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer or a bigint, got ${seed}`);
    return BigInt.asIntN(64, BigInt(seed));
  }
  return BigInt.asIntN(64, seed);
}

/** org.apache.spark.util.random.XORShiftRandom: java.util.Random with next(bits) replaced by a xorshift step. */
export class XORShiftRandom {
  private hi = 0;
  private lo = 0;
  private haveNextNextGaussian = false;
  private nextNextGaussian = 0;

  constructor(seed: bigint | number) {
    this.setSeed(seed);
  }

  /** XORShiftRandom.setSeed: the state is hashSeed(seed); java.util.Random's cached Gaussian is not cleared. */
  setSeed(seed: bigint | number): void {
    const s = BigInt.asUintN(64, toLong(seed));
    const seedHi = Number(s >> 32n) | 0;
    const seedLo = Number(s & 0xffffffffn) | 0;
    const lowBits = hashSeedBytes(seedHi, seedLo, MURMUR_ARRAY_SEED);
    const highBits = hashSeedBytes(seedHi, seedLo, lowBits);
    this.hi = highBits;
    this.lo = lowBits;
  }

  /** One xorshift step (s ^= s << 21; s ^= s >>> 35; s ^= s << 4) on the two halves; returns the new low half. */
  private step(): number {
    const hi0 = this.hi;
    const lo0 = this.lo;
    const hi1 = hi0 ^ ((hi0 << 21) | (lo0 >>> 11));
    const lo1 = lo0 ^ (lo0 << 21) ^ (hi1 >>> 3); // s >>> 35 only reaches the low half
    this.hi = hi1 ^ ((hi1 << 4) | (lo1 >>> 28));
    this.lo = lo1 ^ (lo1 << 4);
    return this.lo;
  }

  /** java.util.Random.next(bits) as Spark overrides it: the *low* `bits` bits of the new state, as a Java int. */
  next(bits: number): number {
    const lo = this.step();
    return bits >= 32 ? lo | 0 : lo & (0xffffffff >>> (32 - bits));
  }

  nextInt(): number {
    return this.next(32);
  }

  nextLong(): bigint {
    const high = BigInt(this.next(32));
    const low = BigInt(this.next(32));
    return BigInt.asIntN(64, (high << 32n) + low);
  }

  /** ((next(26) << 27) + next(27)) * 2^-53, exact in a double. */
  nextDouble(): number {
    const a = this.next(26);
    const b = this.next(27);
    return (a * TWO_POW_27 + b) * TWO_POW_MINUS_53;
  }

  /**
   * java.util.Random.nextGaussian: Marsaglia's polar method with one cached value. Java uses StrictMath.log
   * (fdlibm); V8's Math.log is the same fdlibm algorithm, and sqrt is correctly rounded in both.
   */
  nextGaussian(): number {
    if (this.haveNextNextGaussian) {
      this.haveNextNextGaussian = false;
      return this.nextNextGaussian;
    }
    let v1: number;
    let v2: number;
    let s: number;
    do {
      v1 = 2 * this.nextDouble() - 1;
      v2 = 2 * this.nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    const multiplier = Math.sqrt((-2 * Math.log(s)) / s);
    this.nextNextGaussian = v2 * multiplier;
    this.haveNextNextGaussian = true;
    return v1 * multiplier;
  }
}

/** scala.util.hashing.byteswap64: multiply, reverse the 8 bytes, multiply again (mod 2^64, signed result). */
export function byteswap64(x: bigint): bigint {
  let hc = BigInt.asUintN(64, x * BYTESWAP_CONSTANT);
  let reversed = 0n;
  for (let i = 0; i < 8; i++) {
    reversed = (reversed << 8n) | (hc & 0xffn);
    hc >>= 8n;
  }
  return BigInt.asIntN(64, reversed * BYTESWAP_CONSTANT);
}

/** The two init seeds ALS.train draws: `seedGen = new XORShiftRandom(seed)`, users first, then items. */
export function sparkAlsInitSeeds(seed: bigint | number): { user: bigint; item: bigint } {
  const seedGen = new XORShiftRandom(seed);
  const user = seedGen.nextLong();
  const item = seedGen.nextLong();
  return { user, item };
}

/**
 * snrm2 as Spark 3.5's Java BLAS computes it on Java 17 (netlib-java's Java11BLAS): float sums of squares with
 * fused multiply-add in 4 interleaved accumulators over the first floor(n/4)*4 elements, combined
 * ((s0 + s1) + s2) + s3, then the tail fused into that sum, then (float) sqrt. This is the only variant tried that
 * reproduces real Spark 3.5.8's initial factors bit for bit at both rank 3 and rank 10 (a sequential sum, a double
 * sum and the reference-BLAS scaled algorithm each miss some rows by 1-3 ulp). x*x is exact in a double, so the
 * only deviation from a true float fma is a rare double rounding.
 */
function snrm2Float(x: Float32Array, offset: number, n: number): number {
  const f = Math.fround;
  if (n < 1) return 0;
  if (n === 1) return Math.abs(x[offset]);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = x[offset + i];
    const b = x[offset + i + 1];
    const c = x[offset + i + 2];
    const d = x[offset + i + 3];
    s0 = f(s0 + a * a);
    s1 = f(s1 + b * b);
    s2 = f(s2 + c * c);
    s3 = f(s3 + d * d);
  }
  let sum = f(f(f(s0 + s1) + s2) + s3);
  for (; i < n; i++) {
    const v = x[offset + i];
    sum = f(sum + v * v);
  }
  return f(Math.sqrt(sum));
}

/** Spark's HashPartitioner for an Int key: nonNegativeMod(id.hashCode, n), and an Int's hashCode is itself. */
export function sparkBlockOf(id: number, numBlocks: number): number {
  const raw = (id % numBlocks) | 0; // | 0 turns -0 (from a negative multiple) into 0
  return raw < 0 ? raw + numBlocks : raw;
}

/**
 * Spark ALS's initial factors for one side (ALS.initialize): ids are hashed into `numBlocks` blocks, each block
 * draws from `new XORShiftRandom(byteswap64(seed ^ blockId))` for its ids in ascending order, `rank` Gaussians
 * cast to float per id, then scaled by 1.0f / snrm2. Returns row-major factors in the order of `ids`.
 */
export function sparkAlsInitialFactors(ids: Int32Array, rank: number, seed: bigint, numBlocks: number): Float32Array {
  if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`rank must be an integer >= 1, got ${rank}`);
  if (!Number.isInteger(numBlocks) || numBlocks < 1) throw new RangeError(`numBlocks must be >= 1, got ${numBlocks}`);
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] <= ids[i - 1]) throw new RangeError("sparkAlsInitialFactors: ids must be strictly ascending");
  }
  const out = new Float32Array(ids.length * rank);
  // Rows of each block in ascending id order: since ids are ascending, a stable bucket by block keeps that order.
  const blockCounts = new Int32Array(numBlocks + 1);
  for (let i = 0; i < ids.length; i++) blockCounts[sparkBlockOf(ids[i], numBlocks) + 1]++;
  for (let b = 0; b < numBlocks; b++) blockCounts[b + 1] += blockCounts[b];
  const rowsByBlock = new Int32Array(ids.length);
  const cursor = blockCounts.slice(0, numBlocks);
  for (let i = 0; i < ids.length; i++) rowsByBlock[cursor[sparkBlockOf(ids[i], numBlocks)]++] = i;

  const seed64 = BigInt.asIntN(64, seed);
  for (let b = 0; b < numBlocks; b++) {
    const start = blockCounts[b];
    const end = blockCounts[b + 1];
    if (start === end) continue;
    const random = new XORShiftRandom(byteswap64(seed64 ^ BigInt(b)));
    for (let r = start; r < end; r++) {
      const offset = rowsByBlock[r] * rank;
      for (let k = 0; k < rank; k++) out[offset + k] = random.nextGaussian(); // Float32Array store = .toFloat
      const scale = Math.fround(1 / snrm2Float(out, offset, rank));
      for (let k = 0; k < rank; k++) out[offset + k] = Math.fround(out[offset + k] * scale);
    }
  }
  return out;
}
