// ALS normal-equation kernels in AssemblyScript with explicit v128 SIMD: rows of one ALS half-step
// (normal equations built from the other side's factors, then Cholesky, CG or NNLS), built by scripts/build-wasm.mjs
// into src/kernels/wasm/als.wasm, and with relaxed SIMD into als-fma.wasm (see madd below).
//
// Everything is addressed by byte offsets into one (shared) linear memory that the JS side lays out:
// CSR arrays, both factor matrices (row stride kp = rank padded to a multiple of 4, padded lanes exactly 0),
// YtY and a per-thread scratch region. No allocation happens here (runtime "stub", no managed objects), so
// several threads can run these functions on the same memory as long as they write disjoint rows.
//
// The plain TypeScript twin is src/kernels/als-half-step.ts; keep the two in step.

/** Ratings gathered per block before the 4x8 tile Gram pass; bounds scratch for very long rows. */
const BLOCK: i32 = 128;

const SOLVER_CHOLESKY: i32 = 0;
const SOLVER_CG: i32 = 1;
const SOLVER_NNLS: i32 = 2;

/** Relative pivot threshold: an f32 Gram of fewer ratings than rank leaves pivots ~1e-7 of the diagonal. */
const PIVOT_TOL: f32 = 1e-5;

// ---- multiply-add: the one place the two builds differ (scripts/build-wasm.mjs) ----
// als.wasm (portable) rounds the product and then the sum, the same bits on every machine. als-fma.wasm is built
// with --enable relaxed-simd: f32x4.relaxed_madd is one fused multiply-add where the CPU has FMA (rounded once),
// so its results may differ in the last bits between machines, never between runs or worker counts on one.

/** c + a*b. */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** c - a*b. */
// @ts-ignore: decorator
@inline
function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, c);
  return f32x4.sub(c, f32x4.mul(a, b));
}

// ---- scratch layout (bytes); src/kernels/als-scratch.ts computes the same total ----
// A kp*kp f32 | b kp f32 | diag0 kp | r kp | p kp | Ap kp | G BLOCK*kp f32 | (8-aligned) A64 k*k f64 | 7 vectors of k f64
// | (64-aligned) CG gather: the whole row in groups of 4 (groupSlots(length) slots of kp f32), then W and B (one f32 a slot)

/**
 * Solves rows [rowStart, rowEnd) of one ALS half-step in place. Returns -1, or the first row whose system is
 * not positive definite (Cholesky only).
 *  explicit: A = sum y y^T + regParam*n*I, b = sum r y (n = number of ratings, duplicates included)
 *  implicit: A = YtY + sum alpha|r| y y^T + regParam*n+*I, b = sum_{r>0} (1+alpha r) y (n+ = #ratings with r > 0)
 */
export function solveRows(
  indptr: usize, indices: usize, values: usize, src: usize, out: usize, gram: usize,
  kp: i32, k: i32, regParam: f32, alpha: f32, implicit: i32, solver: i32, cgSteps: i32,
  rowStart: i32, rowEnd: i32, scratch: usize, cgGatherCapacity: i32,
): i32 {
  const rowBytes = <usize>kp << 2;
  // CG multiplies every row's vectors by YtY four times: it reads YtY from an interleaved copy in scratch (the A
  // region, which CG does not use), made once per call, whose loads take constant offsets from one pointer.
  const cgGram = solver == SOLVER_CG && gram != 0 ? interleaveRows(gram, kp, scratch) : 0;
  for (let row = rowStart; row < rowEnd; row++) {
    const begin = load<i32>(indptr + (<usize>row << 2));
    const end = load<i32>(indptr + (<usize>(row + 1) << 2));
    const x = out + <usize>row * rowBytes;
    if (begin >= end) {
      memory.fill(x, 0, rowBytes);
      continue;
    }
    let n: i32 = end - begin;
    if (implicit) {
      n = 0;
      for (let s = begin; s < end; s++) if (load<f32>(values + (<usize>s << 2)) > 0) n++;
    }
    const lambda: f32 = regParam * <f32>n;
    if (solver == SOLVER_CG) {
      cgRow(indices, values, src, cgGram, begin, end, x, kp, lambda, alpha, implicit, cgSteps, scratch, cgGatherCapacity);
      continue;
    }
    buildSystem(indices, values, src, gram, begin, end, kp, k, lambda, alpha, implicit, scratch);
    if (solver == SOLVER_NNLS) {
      nnlsRow(scratch, x, kp, k);
    } else if (!choleskySolve(scratch, x, kp)) {
      return row;
    }
  }
  return -1;
}

/** out += sum over rows [rowStart, rowEnd) of Y of y y^T, full kp x kp (both triangles): YtY for implicit. */
export function gramAccumulate(Y: usize, rowStart: i32, rowEnd: i32, kp: i32, out: usize): void {
  // The tiles of the upper triangle, then the lower triangle copied from it: entry (j, i) is the same products as
  // (i, j) (a*b = b*a exactly, fused or not) summed in the same order, so this is bit-identical to computing every
  // tile, for half the work. `out` is symmetric on entry (zero, or the previous chunk's result), so the few lower
  // entries the diagonal tiles also accumulate start from the same values as their mirror images.
  gramTiles(Y + <usize>rowStart * (<usize>kp << 2), rowEnd - rowStart, kp, out, false);
  const rowBytes = <usize>kp << 2;
  for (let i = 1; i < kp; i++) {
    for (let j = 0; j < i; j++) store<f32>(out + <usize>i * rowBytes + (<usize>j << 2), load<f32>(out + <usize>j * rowBytes + (<usize>i << 2)));
  }
}

/**
 * out += sum over rows [rowStart, rowEnd) of Y of y y^T for output rows [bandStart, bandEnd) (multiples of 4) only,
 * upper-triangle tiles only, no mirroring: one thread's share of YtY when the threads split the output's 4-row bands
 * (src/kernels/als-gram.ts). Each entry is the same sequential sum over rows as in gramAccumulate, so any split of
 * the bands, followed by one mirror of the upper triangle, gives gramAccumulate's bits.
 */
export function gramBands(Y: usize, rowStart: i32, rowEnd: i32, kp: i32, out: usize, bandStart: i32, bandEnd: i32): void {
  gramBandTiles(Y + <usize>rowStart * (<usize>kp << 2), rowEnd - rowStart, kp, out, bandStart, bandEnd);
}

/** Bytes of the fixed part of one thread's scratch at padded rank kp; solver "cg" also needs, from the next
 * multiple of 64, room to gather the longest row (maxRowLength * kp * 4 bytes). */
export function scratchBytes(kp: i32): i32 {
  return 4 * (kp * kp + 6 * kp + BLOCK * kp) + 8 + 8 * (kp * kp + 7 * kp);
}

// ---- system assembly ----

function buildSystem(
  indices: usize, values: usize, src: usize, gram: usize, begin: i32, end: i32,
  kp: i32, k: i32, lambda: f32, alpha: f32, implicit: i32, scratch: usize,
): void {
  const rowBytes = <usize>kp << 2;
  const A = scratch;
  const b = A + <usize>kp * rowBytes;
  const G = b + 6 * rowBytes;
  if (implicit) memory.copy(A, gram, <usize>kp * rowBytes);
  else memory.fill(A, 0, <usize>kp * rowBytes);
  memory.fill(b, 0, rowBytes);
  for (let s = begin; s < end; s += BLOCK) {
    const e = min(s + BLOCK, end);
    // pure gather first (independent iterations: the CPU overlaps the cache misses), then b and the weights
    touchLines(indices + (<usize>s << 2), e - s, src, rowBytes);
    let g = G;
    for (let t = s; t < e; t++) {
      const y = src + <usize>load<i32>(indices + (<usize>t << 2)) * rowBytes;
      copyVector(g, 16, y, rowBytes);
      g += rowBytes;
    }
    g = G;
    for (let t = s; t < e; t++) {
      const r = load<f32>(values + (<usize>t << 2));
      let bw: f32 = r;
      if (implicit) {
        const c1 = alpha * abs<f32>(r);
        bw = r > 0 ? 1 + c1 : 0;
        const wv = f32x4.splat(sqrt<f32>(c1)); // gather sqrt(c1) y so that the plain Gram gives sum c1 y y^T
        for (let d: usize = 0; d < rowBytes; d += 16) {
          const v = v128.load(g + d);
          v128.store(b + d, madd(f32x4.splat(bw), v, v128.load(b + d)));
          v128.store(g + d, f32x4.mul(v, wv));
        }
      } else {
        const bv = f32x4.splat(bw);
        for (let d: usize = 0; d < rowBytes; d += 16) v128.store(b + d, madd(bv, v128.load(g + d), v128.load(b + d)));
      }
      g += rowBytes;
    }
    gramTiles(G, e - s, kp, A, false);
  }
  // lambda on the real diagonal; padded lanes get 1 so the factorisation goes through and solves them to 0.
  for (let d = 0; d < kp; d++) {
    const p = A + (<usize>(d * kp + d) << 2);
    if (d < k) store<f32>(p, load<f32>(p) + lambda);
    else store<f32>(p, 1);
  }
}

/**
 * Loads one word of every 64-byte line of the n factor vectors listed at indices (values discarded; the result
 * only keeps the loads alive) so that the copy that follows finds them in cache. wasm has no prefetch
 * instruction; a loop this short keeps many more cache misses in flight than the copy loop, whose 16 loads and
 * 16 stores a vector fill the CPU's buffers: about twice as fast a gather once the factors exceed the caches.
 */
function touchLines(indices: usize, n: i32, src: usize, rowBytes: usize): void {
  let sink: i32 = 0;
  for (let j = 0; j < n; j++) {
    const y = src + <usize>load<i32>(indices + (<usize>j << 2)) * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += 64) sink |= load<i32>(y + o);
  }
  touchSink = sink;
}

/**
 * Copies the rowBytes of vector y to dst, its consecutive 16-byte chunks `stride` bytes apart (16: contiguous; 64:
 * CG's groups of 4). Four chunks an iteration at constant offsets: a quarter of the address and loop instructions
 * of a chunk at a time, in the gathers that copy every rating's vector.
 */
// @ts-ignore: decorator
@inline
function copyVector(dst: usize, stride: usize, y: usize, rowBytes: usize): void {
  let o: usize = 0;
  let d = dst;
  if (stride == 64) {
    for (; o + 64 <= rowBytes; o += 64) {
      const s = y + o;
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 64);
      v128.store(d, v128.load(s, 32), 128);
      v128.store(d, v128.load(s, 48), 192);
      d += 256;
    }
  } else {
    for (; o + 64 <= rowBytes; o += 64) {
      const s = y + o;
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
      v128.store(d, v128.load(s, 32), 32);
      v128.store(d, v128.load(s, 48), 48);
      d += 64;
    }
  }
  for (; o < rowBytes; o += 16) {
    v128.store(d, v128.load(y + o));
    d += stride;
  }
}

/** Written by touchLines so its loads are not dead code. */
let touchSink: i32 = 0;

/**
 * A += G^T G for nb gathered rows of G (stride kp) with 4x8 f32x4 register tiles. Unless full, only tiles
 * touching the upper triangle are computed (the solvers read the upper triangle only).
 */
function gramTiles(G: usize, nb: i32, kp: i32, A: usize, full: bool): void {
  const rowBytes = <usize>kp << 2;
  for (let ib = 0; ib < kp; ib += 4) bandTiles(G, nb, kp, rowBytes, A, ib, full ? 0 : ib & ~7);
}

/** gramTiles' upper-triangle tiles of output rows [bandStart, bandEnd) only. */
function gramBandTiles(G: usize, nb: i32, kp: i32, A: usize, bandStart: i32, bandEnd: i32): void {
  const rowBytes = <usize>kp << 2;
  for (let ib = bandStart; ib < bandEnd; ib += 4) bandTiles(G, nb, kp, rowBytes, A, ib, ib & ~7);
}

/** The tiles of one 4-row band ib of A += G^T G, from column jb on. */
// @ts-ignore: decorator
@inline
function bandTiles(G: usize, nb: i32, kp: i32, rowBytes: usize, A: usize, ib: i32, jb: i32): void {
  for (; jb + 8 <= kp; jb += 8) tile4x8(G, nb, rowBytes, A + (<usize>(ib * kp + jb) << 2), <usize>ib << 2, <usize>jb << 2);
  if (jb < kp) tile4x4(G, nb, rowBytes, A + (<usize>(ib * kp + jb) << 2), <usize>ib << 2, <usize>jb << 2);
}

// @ts-ignore: decorator
@inline
function tile4x8(G: usize, nb: i32, rowBytes: usize, a: usize, io: usize, jo: usize): void {
  let c00 = v128.load(a), c01 = v128.load(a, 16);
  let c10 = v128.load(a + rowBytes), c11 = v128.load(a + rowBytes, 16);
  let c20 = v128.load(a + 2 * rowBytes), c21 = v128.load(a + 2 * rowBytes, 16);
  let c30 = v128.load(a + 3 * rowBytes), c31 = v128.load(a + 3 * rowBytes, 16);
  let g = G;
  for (let t = 0; t < nb; t++) {
    const y0 = v128.load(g + jo);
    const y1 = v128.load(g + jo, 16);
    const s0 = v128.load32_splat(g + io);
    const s1 = v128.load32_splat(g + io, 4);
    const s2 = v128.load32_splat(g + io, 8);
    const s3 = v128.load32_splat(g + io, 12);
    c00 = madd(s0, y0, c00); c01 = madd(s0, y1, c01);
    c10 = madd(s1, y0, c10); c11 = madd(s1, y1, c11);
    c20 = madd(s2, y0, c20); c21 = madd(s2, y1, c21);
    c30 = madd(s3, y0, c30); c31 = madd(s3, y1, c31);
    g += rowBytes;
  }
  v128.store(a, c00); v128.store(a, c01, 16);
  v128.store(a + rowBytes, c10); v128.store(a + rowBytes, c11, 16);
  v128.store(a + 2 * rowBytes, c20); v128.store(a + 2 * rowBytes, c21, 16);
  v128.store(a + 3 * rowBytes, c30); v128.store(a + 3 * rowBytes, c31, 16);
}

// @ts-ignore: decorator
@inline
function tile4x4(G: usize, nb: i32, rowBytes: usize, a: usize, io: usize, jo: usize): void {
  let c0 = v128.load(a), c1 = v128.load(a + rowBytes), c2 = v128.load(a + 2 * rowBytes), c3 = v128.load(a + 3 * rowBytes);
  let g = G;
  for (let t = 0; t < nb; t++) {
    const y0 = v128.load(g + jo);
    c0 = madd(v128.load32_splat(g + io), y0, c0);
    c1 = madd(v128.load32_splat(g + io, 4), y0, c1);
    c2 = madd(v128.load32_splat(g + io, 8), y0, c2);
    c3 = madd(v128.load32_splat(g + io, 12), y0, c3);
    g += rowBytes;
  }
  v128.store(a, c0); v128.store(a + rowBytes, c1); v128.store(a + 2 * rowBytes, c2); v128.store(a + 3 * rowBytes, c3);
}

/**
 * a[0..4][0..8] -= sum over rows t < nb of U of U[t][io..io+4]^T U[t][jo..jo+8] (byte offsets io, jo): the
 * left-looking Cholesky update of a 4x8 tile. The 4 rows it writes from the tile's left edge may include a few
 * lower-triangle entries of the diagonal block; they are never read, and stay finite.
 */
// @ts-ignore: decorator
@inline
function tileSub4x8(U: usize, nb: i32, rowBytes: usize, a: usize, io: usize, jo: usize): void {
  let c00 = v128.load(a), c01 = v128.load(a, 16);
  let c10 = v128.load(a + rowBytes), c11 = v128.load(a + rowBytes, 16);
  let c20 = v128.load(a + 2 * rowBytes), c21 = v128.load(a + 2 * rowBytes, 16);
  let c30 = v128.load(a + 3 * rowBytes), c31 = v128.load(a + 3 * rowBytes, 16);
  let g = U;
  for (let t = 0; t < nb; t++) {
    const y0 = v128.load(g + jo);
    const y1 = v128.load(g + jo, 16);
    const s0 = v128.load32_splat(g + io);
    const s1 = v128.load32_splat(g + io, 4);
    const s2 = v128.load32_splat(g + io, 8);
    const s3 = v128.load32_splat(g + io, 12);
    c00 = nmadd(s0, y0, c00); c01 = nmadd(s0, y1, c01);
    c10 = nmadd(s1, y0, c10); c11 = nmadd(s1, y1, c11);
    c20 = nmadd(s2, y0, c20); c21 = nmadd(s2, y1, c21);
    c30 = nmadd(s3, y0, c30); c31 = nmadd(s3, y1, c31);
    g += rowBytes;
  }
  v128.store(a, c00); v128.store(a, c01, 16);
  v128.store(a + rowBytes, c10); v128.store(a + rowBytes, c11, 16);
  v128.store(a + 2 * rowBytes, c20); v128.store(a + 2 * rowBytes, c21, 16);
  v128.store(a + 3 * rowBytes, c30); v128.store(a + 3 * rowBytes, c31, 16);
}

// @ts-ignore: decorator
@inline
function tileSub4x4(U: usize, nb: i32, rowBytes: usize, a: usize, io: usize, jo: usize): void {
  let c0 = v128.load(a), c1 = v128.load(a + rowBytes), c2 = v128.load(a + 2 * rowBytes), c3 = v128.load(a + 3 * rowBytes);
  let g = U;
  for (let t = 0; t < nb; t++) {
    const y0 = v128.load(g + jo);
    c0 = nmadd(v128.load32_splat(g + io), y0, c0);
    c1 = nmadd(v128.load32_splat(g + io, 4), y0, c1);
    c2 = nmadd(v128.load32_splat(g + io, 8), y0, c2);
    c3 = nmadd(v128.load32_splat(g + io, 12), y0, c3);
    g += rowBytes;
  }
  v128.store(a, c0); v128.store(a + rowBytes, c1); v128.store(a + 2 * rowBytes, c2); v128.store(a + 3 * rowBytes, c3);
}

// ---- Cholesky (upper, A = U^T U, left-looking, blocked by 4, 4x8 register tiles) ----

function choleskySolve(scratch: usize, x: usize, kp: i32): bool {
  const rowBytes = <usize>kp << 2;
  const A = scratch;
  const b = A + <usize>kp * rowBytes;
  const diag0 = b + rowBytes;
  for (let p = 0; p < kp; p++) store<f32>(diag0 + (<usize>p << 2), load<f32>(A + (<usize>(p * kp + p) << 2)));
  // Left-looking, by blocks of 4 rows: first subtract from block row ib (columns >= ib) what the finished rows
  // 0..ib-1 of U contribute, with 4x8 register tiles (each tile of A is loaded and stored once, the sum over all
  // earlier rows stays in registers: the Gram micro-kernel's shape), then factor the 4-row panel itself.
  for (let ib = 0; ib < kp; ib += 4) {
    if (ib > 0) {
      const io = <usize>ib << 2;
      const blockRow = A + <usize>ib * rowBytes;
      let jb = ib;
      for (; jb + 8 <= kp; jb += 8) tileSub4x8(A, ib, rowBytes, blockRow + (<usize>jb << 2), io, <usize>jb << 2);
      if (jb < kp) tileSub4x4(A, ib, rowBytes, blockRow + (<usize>jb << 2), io, <usize>jb << 2);
    }
    for (let p = ib; p < ib + 4; p++) {
      const rowP = A + <usize>p * rowBytes;
      const d = load<f32>(rowP + (<usize>p << 2));
      if (!(d > PIVOT_TOL * load<f32>(diag0 + (<usize>p << 2)))) return false;
      const s = sqrt<f32>(d);
      store<f32>(rowP + (<usize>p << 2), s);
      scaleTail(rowP, p + 1, kp, 1 / s);
      for (let i = p + 1; i < ib + 4; i++) {
        const u = load<f32>(rowP + (<usize>i << 2));
        if (u != 0) axpyTail(A + <usize>i * rowBytes, rowP, i, kp, -u);
      }
    }
  }
  // forward: U^T z = b (z overwrites b), by blocks of 4: the 4x4 diagonal block in scalar, then the rest of b
  // takes the block's 4 rows as one rank-4 update (one load and store of b per 4 pivots, no scalar heads)
  for (let pb = 0; pb < kp; pb += 4) {
    for (let p = pb; p < pb + 4; p++) {
      const rowP = A + <usize>p * rowBytes;
      const z = load<f32>(b + (<usize>p << 2)) / load<f32>(rowP + (<usize>p << 2));
      store<f32>(b + (<usize>p << 2), z);
      for (let i = p + 1; i < pb + 4; i++) store<f32>(b + (<usize>i << 2), load<f32>(b + (<usize>i << 2)) - z * load<f32>(rowP + (<usize>i << 2)));
    }
    const r0 = A + <usize>pb * rowBytes;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    const z0 = v128.load32_splat(b + (<usize>pb << 2));
    const z1 = v128.load32_splat(b + (<usize>pb << 2), 4);
    const z2 = v128.load32_splat(b + (<usize>pb << 2), 8);
    const z3 = v128.load32_splat(b + (<usize>pb << 2), 12);
    for (let o: usize = <usize>(pb + 4) << 2; o < rowBytes; o += 16) {
      const t = f32x4.add(
        madd(z1, v128.load(r1 + o), f32x4.mul(z0, v128.load(r0 + o))),
        madd(z3, v128.load(r3 + o), f32x4.mul(z2, v128.load(r2 + o))));
      v128.store(b + o, f32x4.sub(v128.load(b + o), t));
    }
  }
  // back: U x = z, by blocks of 4 from the bottom: the 4 rows' dots with the solved part of x share its loads,
  // then the 4x4 diagonal block in scalar
  for (let pb = kp - 4; pb >= 0; pb -= 4) {
    const r0 = A + <usize>pb * rowBytes;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let o: usize = <usize>(pb + 4) << 2; o < rowBytes; o += 16) {
      const xv = v128.load(x + o);
      a0 = madd(v128.load(r0 + o), xv, a0);
      a1 = madd(v128.load(r1 + o), xv, a1);
      a2 = madd(v128.load(r2 + o), xv, a2);
      a3 = madd(v128.load(r3 + o), xv, a3);
    }
    const bo = b + (<usize>pb << 2);
    store<f32>(bo, load<f32>(bo) - hsum(a0));
    store<f32>(bo, load<f32>(bo, 4) - hsum(a1), 4);
    store<f32>(bo, load<f32>(bo, 8) - hsum(a2), 8);
    store<f32>(bo, load<f32>(bo, 12) - hsum(a3), 12);
    for (let p = pb + 3; p >= pb; p--) {
      const rowP = A + <usize>p * rowBytes;
      let t = load<f32>(b + (<usize>p << 2));
      for (let j = p + 1; j < pb + 4; j++) t -= load<f32>(rowP + (<usize>j << 2)) * load<f32>(x + (<usize>j << 2));
      store<f32>(x + (<usize>p << 2), t / load<f32>(rowP + (<usize>p << 2)));
    }
  }
  return true;
}

/** v[j] *= c for j in [from, kp): scalar up to the next multiple of 4, then f32x4. */
// @ts-ignore: decorator
@inline
function scaleTail(v: usize, from: i32, kp: i32, c: f32): void {
  let j = from;
  for (; j < kp && (j & 3) != 0; j++) store<f32>(v + (<usize>j << 2), load<f32>(v + (<usize>j << 2)) * c);
  const cv = f32x4.splat(c);
  for (; j < kp; j += 4) v128.store(v + (<usize>j << 2), f32x4.mul(v128.load(v + (<usize>j << 2)), cv));
}

/** dst[j] += c * src[j] for j in [from, kp). */
// @ts-ignore: decorator
@inline
function axpyTail(dst: usize, src: usize, from: i32, kp: i32, c: f32): void {
  let j = from;
  for (; j < kp && (j & 3) != 0; j++) store<f32>(dst + (<usize>j << 2), load<f32>(dst + (<usize>j << 2)) + c * load<f32>(src + (<usize>j << 2)));
  const cv = f32x4.splat(c);
  for (; j < kp; j += 4) {
    const o = <usize>j << 2;
    v128.store(dst + o, madd(cv, v128.load(src + o), v128.load(dst + o)));
  }
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline
function dot(a: usize, b: usize, rowBytes: usize): f32 {
  let acc = f32x4.splat(0);
  for (let o: usize = 0; o < rowBytes; o += 16) acc = madd(v128.load(a + o), v128.load(b + o), acc);
  return hsum(acc);
}

// @ts-ignore: decorator
@inline
function axpy(dst: usize, src: usize, rowBytes: usize, c: f32): void {
  const cv = f32x4.splat(c);
  for (let o: usize = 0; o < rowBytes; o += 16) v128.store(dst + o, madd(cv, v128.load(src + o), v128.load(dst + o)));
}

// ---- conjugate gradient (benfred/implicit _least_squares_cg: warm start from x, fixed number of steps) ----

/**
 * Copies the kp x kp matrix m into dst interleaved by blocks of 4 rows, as gatherGroups lays out ratings: the 16-byte
 * chunk at byte offset o of row i + lane goes to dst + i*kp*4 + o*4 + lane*16. Returns dst.
 */
function interleaveRows(m: usize, kp: i32, dst: usize): usize {
  const rowBytes = <usize>kp << 2;
  for (let i = 0; i < kp; i++) {
    const from = m + <usize>i * rowBytes;
    const to = dst + <usize>(i & ~3) * rowBytes + (<usize>(i & 3) << 4);
    for (let o: usize = 0; o < rowBytes; o += 16) v128.store(to + (o << 2), v128.load(from + o));
  }
  return dst;
}

/** out = lambda*v + (gram ? gram v : 0); gram is full symmetric kp x kp, interleaved by interleaveRows. */
function baseMatVec(out: usize, v: usize, gram: usize, kp: i32, lambda: f32): void {
  const rowBytes = <usize>kp << 2;
  const lv = f32x4.splat(lambda);
  if (gram == 0) {
    for (let o: usize = 0; o < rowBytes; o += 16) v128.store(out + o, f32x4.mul(lv, v128.load(v + o)));
    return;
  }
  // as dot products, 4 rows of gram at a time, reduced together: no broadcasts in the inner loop (they would
  // compete with the adds for the same execution port) and one store per 4 outputs
  let q = gram;
  for (let i = 0; i < kp; i += 4) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const vv = v128.load(v + o);
      a0 = madd(v128.load(q), vv, a0);
      a1 = madd(v128.load(q, 16), vv, a1);
      a2 = madd(v128.load(q, 32), vv, a2);
      a3 = madd(v128.load(q, 48), vv, a3);
      q += 64;
    }
    const io = <usize>i << 2;
    v128.store(out + io, f32x4.add(f32x4.mul(lv, v128.load(v + io)), reduce4(a0, a1, a2, a3)));
  }
}

function cgRow(
  indices: usize, values: usize, src: usize, gram: usize, begin: i32, end: i32, x: usize,
  kp: i32, lambda: f32, alpha: f32, implicit: i32, steps: i32, scratch: usize, capacity: i32,
): void {
  const rowBytes = <usize>kp << 2;
  const r = scratch + <usize>kp * rowBytes + 3 * rowBytes;
  const p = r + rowBytes;
  const Ap = p + rowBytes;
  // The row's factor vectors are gathered once into scratch (see gatherGroups) and every pass below streams
  // through them: one random read of the fixed side's factors per rating per half-step instead of 1 + steps.
  // Rows longer than the gather capacity (the head of a very large catalogue) are gathered block by block on
  // every pass instead; blocks are whole groups of 4, so the sums and their order, hence the result, are the same.
  const n = end - begin;
  const block = n <= capacity ? n : max(4, capacity & ~3);
  const G = scratch + <usize>((scratchBytes(kp) + 63) & ~63);
  const W = G + <usize>groupSlots(block) * rowBytes;
  const B = W + (<usize>groupSlots(block) << 2);
  // r = b - A x = -(YtY + lambda I) x + sum_s (bw_s - w_s y_s.x) y_s
  baseMatVec(r, x, gram, kp, lambda);
  for (let o: usize = 0; o < rowBytes; o += 16) v128.store(r + o, f32x4.neg(v128.load(r + o)));
  for (let s = begin; s < end; s += block) {
    const e = min(s + block, end);
    gatherGroups(indices, values, src, s, e, rowBytes, alpha, implicit, G, W, B);
    applyGroups(G, W, B, e - s, rowBytes, x, r, true);
  }
  memory.copy(p, r, rowBytes);
  let rsold = dot(r, r, rowBytes);
  if (rsold < 1e-20) return;
  for (let it = 0; it < steps; it++) {
    // Ap = (YtY + lambda I) p + sum_s w_s (y_s.p) y_s
    baseMatVec(Ap, p, gram, kp, lambda);
    for (let s = begin; s < end; s += block) {
      const e = min(s + block, end);
      if (block < n) gatherGroups(indices, values, src, s, e, rowBytes, alpha, implicit, G, W, B);
      applyGroups(G, W, B, e - s, rowBytes, p, Ap, false);
    }
    const pAp = dot(p, Ap, rowBytes);
    if (!(pAp > 0)) return;
    const a = rsold / pAp;
    axpy(x, p, rowBytes, a);
    axpy(r, Ap, rowBytes, -a);
    const rsnew = dot(r, r, rowBytes);
    if (rsnew < 1e-20) return;
    const beta = rsnew / rsold;
    const bv = f32x4.splat(beta);
    for (let o: usize = 0; o < rowBytes; o += 16) v128.store(p + o, madd(bv, v128.load(p + o), v128.load(r + o)));
    rsold = rsnew;
  }
}

/** Rating slots n ratings take in the gathered layout: groups of 4, the last one padded. */
// @ts-ignore: decorator
@inline
function groupSlots(n: i32): i32 {
  return (n + 3) & ~3;
}

/**
 * Gathers ratings [s, e) of a row, interleaved by groups of 4: the 4 vectors' 16-byte chunks at offset o lie side
 * by side (group + o*4 + lane*16), so a group's kernels read its 4 vectors at constant offsets from one pointer
 * that streams forward. Also writes each slot's weights: W = the rating's weight in A (alpha|r| implicit, 1
 * explicit) and B = its weight in b (1 + alpha r if r > 0 else 0 implicit, r explicit). Slots past the last
 * rating are zero (vector and weights), so whole groups can be processed.
 */
function gatherGroups(
  indices: usize, values: usize, src: usize, s: i32, e: i32, rowBytes: usize, alpha: f32, implicit: i32,
  G: usize, W: usize, B: usize,
): void {
  const n = e - s;
  for (let j = 0; j < n; j++) {
    if ((j & (BLOCK - 1)) == 0) touchLines(indices + (<usize>(s + j) << 2), min(BLOCK, n - j), src, rowBytes);
    const y = src + <usize>load<i32>(indices + (<usize>(s + j) << 2)) * rowBytes;
    const dst = G + <usize>(j & ~3) * rowBytes + (<usize>(j & 3) << 4);
    copyVector(dst, 64, y, rowBytes);
    const rating = load<f32>(values + (<usize>(s + j) << 2));
    let w: f32 = 1;
    let bw: f32 = rating;
    if (implicit) {
      w = alpha * abs<f32>(rating);
      bw = rating > 0 ? 1 + w : 0;
    }
    store<f32>(W + (<usize>j << 2), w);
    store<f32>(B + (<usize>j << 2), bw);
  }
  for (let j = n; j < groupSlots(n); j++) {
    const dst = G + <usize>(j & ~3) * rowBytes + (<usize>(j & 3) << 4);
    for (let o: usize = 0; o < rowBytes; o += 16) v128.store(dst + (o << 2), f32x4.splat(0));
    store<f32>(W + (<usize>j << 2), 0);
    store<f32>(B + (<usize>j << 2), 0);
  }
}

/**
 * out += sum over the n gathered ratings of c_s y_s, with c_s = B_s - W_s (y_s.v) (residual: withB) or
 * c_s = W_s (y_s.v). Four ratings at a time: four dot accumulators sharing each load of v, one 4x4
 * transpose-reduce instead of scalar horizontal sums, then one load and store of out per 16 bytes for the four
 * axpys. (Eight at a time measured no faster: x64 has 16 vector registers and V8 then spills.)
 */
function applyGroups(G: usize, W: usize, B: usize, n: i32, rowBytes: usize, v: usize, out: usize, withB: bool): void {
  const slots = groupSlots(n);
  let q = G;
  for (let j = 0; j < slots; j += 4) {
    const g = q;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const vv = v128.load(v + o);
      a0 = madd(v128.load(q), vv, a0);
      a1 = madd(v128.load(q, 16), vv, a1);
      a2 = madd(v128.load(q, 32), vv, a2);
      a3 = madd(v128.load(q, 48), vv, a3);
      q += 64;
    }
    const wo = <usize>j << 2;
    const c = coefficients(reduce4(a0, a1, a2, a3), W + wo, B + wo, withB);
    const c0 = v128.shuffle<f32>(c, c, 0, 0, 0, 0);
    const c1 = v128.shuffle<f32>(c, c, 1, 1, 1, 1);
    const c2 = v128.shuffle<f32>(c, c, 2, 2, 2, 2);
    const c3 = v128.shuffle<f32>(c, c, 3, 3, 3, 3);
    q = g;
    if (ASC_FEATURE_RELAXED_SIMD) {
      // fused: four chained multiply-adds into out, 4 instructions per 16 bytes instead of 4 mul + 4 add
      for (let o: usize = 0; o < rowBytes; o += 16) {
        const acc = madd(c1, v128.load(q, 16), madd(c0, v128.load(q), v128.load(out + o)));
        v128.store(out + o, madd(c3, v128.load(q, 48), madd(c2, v128.load(q, 32), acc)));
        q += 64;
      }
    } else {
      for (let o: usize = 0; o < rowBytes; o += 16) {
        const t0 = madd(c1, v128.load(q, 16), f32x4.mul(c0, v128.load(q)));
        const t1 = madd(c3, v128.load(q, 48), f32x4.mul(c2, v128.load(q, 32)));
        v128.store(out + o, f32x4.add(v128.load(out + o), f32x4.add(t0, t1)));
        q += 64;
      }
    }
  }
}

/** The four horizontal sums of a0..a3 as one vector [sum a0, sum a1, sum a2, sum a3] (shufps-shaped shuffles). */
// @ts-ignore: decorator
@inline
function reduce4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const u0 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), v128.shuffle<f32>(a0, a1, 1, 3, 5, 7));
  const u1 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 2, 4, 6), v128.shuffle<f32>(a2, a3, 1, 3, 5, 7));
  return f32x4.add(v128.shuffle<f32>(u0, u1, 0, 2, 4, 6), v128.shuffle<f32>(u0, u1, 1, 3, 5, 7));
}

// @ts-ignore: decorator
@inline
function coefficients(d: v128, W: usize, B: usize, withB: bool): v128 {
  return withB ? nmadd(v128.load(W), d, v128.load(B)) : f32x4.mul(v128.load(W), d);
}

// ---- NNLS (Spark mllib NNLS.solve: projected gradient with conditional CG directions, in f64) ----

function nnlsRow(scratch: usize, xOut: usize, kp: i32, k: i32): void {
  const rowBytes = <usize>kp << 2;
  const A = scratch;
  const b = A + <usize>kp * rowBytes;
  const base64 = (scratch + 4 * (<usize>(kp * kp + 6 * kp + BLOCK * kp)) + 7) & ~(<usize>7);
  const n = k;
  const nb = <usize>n << 3;
  const ata = base64;
  const atb = ata + <usize>n * nb;
  const x = atb + nb;
  const grad = x + nb;
  const dir = grad + nb;
  const lastDir = dir + nb;
  const res = lastDir + nb;
  const tmp = res + nb;
  // full symmetric f64 copy of the upper triangle (lambda is already on the diagonal)
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = <f64>load<f32>(A + (<usize>(i * kp + j) << 2));
      store<f64>(ata + (<usize>(i * n + j) << 3), v);
      store<f64>(ata + (<usize>(j * n + i) << 3), v);
    }
    store<f64>(atb + (<usize>i << 3), <f64>load<f32>(b + (<usize>i << 2)));
  }
  memory.fill(x, 0, nb);
  memory.fill(lastDir, 0, nb);
  const iterMax = max(400, 20 * n);
  let lastNorm: f64 = 0;
  let lastWall = 0;
  let iterno = 0;
  while (iterno < iterMax) {
    matVec64(res, ata, x, n);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      const g = load<f64>(res + o) - load<f64>(atb + o);
      store<f64>(res + o, g);
      store<f64>(grad + o, g > 0 && load<f64>(x + o) == 0 ? 0 : g);
    }
    const ngrad = dot64(grad, grad, n);
    memory.copy(dir, grad, nb);
    let step = steplen(grad, res, ata, tmp, n);
    let ndir: f64 = 0;
    const nx = dot64(x, x, n);
    if (iterno > lastWall + 1) {
      const a = ngrad / lastNorm;
      for (let i = 0; i < n; i++) {
        const o = <usize>i << 3;
        store<f64>(dir + o, load<f64>(dir + o) + a * load<f64>(lastDir + o));
      }
      const dstep = steplen(dir, res, ata, tmp, n);
      ndir = dot64(dir, dir, n);
      if (nnlsStop(dstep, ndir, nx)) {
        memory.copy(dir, grad, nb);
        ndir = dot64(dir, dir, n);
      } else {
        step = dstep;
      }
    } else {
      ndir = dot64(dir, dir, n);
    }
    if (nnlsStop(step, ndir, nx)) break;
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      const di = load<f64>(dir + o);
      if (step * di > load<f64>(x + o)) step = load<f64>(x + o) / di;
    }
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      const di = load<f64>(dir + o);
      const xi = load<f64>(x + o);
      if (step * di > xi * (1 - 1e-14)) {
        store<f64>(x + o, 0);
        lastWall = iterno;
      } else {
        store<f64>(x + o, xi - step * di);
      }
    }
    iterno++;
    memory.copy(lastDir, dir, nb);
    lastNorm = ngrad;
  }
  for (let i = 0; i < kp; i++) store<f32>(xOut + (<usize>i << 2), i < n ? <f32>load<f64>(x + (<usize>i << 3)) : 0);
}

function nnlsStop(step: f64, ndir: f64, nx: f64): bool {
  return isNaN(step) || step < 1e-7 || step > 1e40 || ndir < 1e-12 * nx || ndir < 1e-32;
}

function steplen(dir: usize, res: usize, ata: usize, tmp: usize, n: i32): f64 {
  const top = dot64(dir, res, n);
  matVec64(tmp, ata, dir, n);
  return top / (dot64(tmp, dir, n) + 1e-20);
}

function matVec64(out: usize, m: usize, v: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), dot64(m + (<usize>(i * n) << 3), v, n));
}

function dot64(a: usize, b: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += load<f64>(a + (<usize>i << 3)) * load<f64>(b + (<usize>i << 3));
  return s;
}
