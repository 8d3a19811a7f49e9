// Similar items for every item (cosine of normalised factors, items x items), AssemblyScript, wasm SIMD128. Built by
// scripts/build-wasm.mjs into src/kernels/wasm/simcos.wasm. Its readable twin, the contract both follow and the
// layout are in src/kernels/similar-cosine.ts:
//
// - Each unordered pair is scored once (target octets P >= query octet o) and offered to both items' heaps; a
//   diagonal octet (P = o) is scored in full and offered to the query side only; an item is never its own neighbour.
// - The pair is first estimated on int16 copies of the rows with i32x4.dot_i16x8_s (exact integer arithmetic, 8
//   products per instruction, half the bytes of f32). Only a pair whose estimate reaches an item's threshold
//   (thr[i] = ceil((heap root - eps) SCALE^2), INT32_MIN while the heap has room) can enter its heap; it is then
//   scored exactly: f32, sum of x_i[d] * x_j[d] in increasing d, the top-k kernel's score.
// - Heaps: binary min-heaps on (score, index), the root the worst kept entry; ties go to the larger index.
//
// Panels: int16 [item / 4][dim pair e][lane][2]; a 32-bit splat of a query row's dims (2e, 2e + 1) times a panel
// vector gives, in lane L, the two products of item 4p + L summed. A 4 x 8 tile keeps 8 i32x4 accumulators.

@inline function worse(sa: f32, ia: i32, sb: f32, ib: i32): bool {
  return sa < sb || (sa == sb && ia < ib);
}

let gN: i32 = 0;
let gK: i32 = 0;
let gRank: i32 = 0;
let gExact: usize = 0;
let gHeapScore: usize = 0;
let gHeapIdx: usize = 0;
let gHeapSize: usize = 0;
let gThr: usize = 0;
let gEps: f64 = 0;

const SCALE2: f64 = 32000.0 * 32000.0;

function thresholdFor(root: f32): i32 {
  const t = (<f64>root - gEps) * SCALE2;
  if (!(t > -2147483648.0)) return i32.MIN_VALUE;
  if (t > 2147483647.0) return i32.MAX_VALUE;
  return <i32>Math.ceil(t);
}

/** The exact score of items i and j: f32, products added in increasing d. */
function exactScore(i: i32, j: i32): f32 {
  let a = gExact + ((<usize>i * <usize>gRank) << 2);
  let b = gExact + ((<usize>j * <usize>gRank) << 2);
  const end = a + (<usize>gRank << 2);
  let s: f32 = 0;
  while (a < end) {
    s += load<f32>(a) * load<f32>(b);
    a += 4;
    b += 4;
  }
  return s;
}

// The thresholds are shared by the workers: any worker's k-th score is at most the global k-th, so whichever value a
// racing read sees prunes exactly (similar-cosine.ts, point 3). A plain store, only when higher.
function raise(i: i32, root: f32): void {
  const at = gThr + (<usize>i << 2);
  const t = thresholdFor(root);
  if (t > load<i32>(at)) store<i32>(at, t);
}

function offer(i: i32, score: f32, j: i32): void {
  if (!(score == score)) return; // NaN never enters
  const k = gK;
  const hs = gHeapScore + ((<usize>i * <usize>k) << 2);
  const hi = gHeapIdx + ((<usize>i * <usize>k) << 2);
  const sizePtr = gHeapSize + (<usize>i << 2);
  const size = load<i32>(sizePtr);
  if (size < k) {
    let pos = size;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const ps = load<f32>(hs + (<usize>parent << 2));
      const pi = load<i32>(hi + (<usize>parent << 2));
      if (!worse(score, j, ps, pi)) break;
      store<f32>(hs + (<usize>pos << 2), ps);
      store<i32>(hi + (<usize>pos << 2), pi);
      pos = parent;
    }
    store<f32>(hs + (<usize>pos << 2), score);
    store<i32>(hi + (<usize>pos << 2), j);
    store<i32>(sizePtr, size + 1);
    if (size + 1 == k) raise(i, load<f32>(hs));
    return;
  }
  if (!worse(load<f32>(hs), load<i32>(hi), score, j)) return;
  let pos = 0;
  while (true) {
    const l = 2 * pos + 1;
    if (l >= k) break;
    let c = l;
    let cs = load<f32>(hs + (<usize>l << 2));
    let ci = load<i32>(hi + (<usize>l << 2));
    const r = l + 1;
    if (r < k) {
      const rs = load<f32>(hs + (<usize>r << 2));
      const ri = load<i32>(hi + (<usize>r << 2));
      if (worse(rs, ri, cs, ci)) { c = r; cs = rs; ci = ri; }
    }
    if (!worse(cs, ci, score, j)) break;
    store<f32>(hs + (<usize>pos << 2), cs);
    store<i32>(hi + (<usize>pos << 2), ci);
    pos = c;
  }
  store<f32>(hs + (<usize>pos << 2), score);
  store<i32>(hi + (<usize>pos << 2), j);
  raise(i, load<f32>(hs));
}

/** Pair (i, j): scored exactly, then offered where it passed the screen (query side; target side off-diagonal). */
@inline function pair(i: i32, j: i32, qPass: bool, tPass: bool): void {
  if (j >= gN || i == j) return; // padding lane (thresholds of padding items are INT32_MAX: a padding i never passes)
  const s = exactScore(i, j);
  if (qPass) offer(i, s, j);
  if (tPass) offer(j, s, i);
}

/**
 * The lanes of one accumulator (query i, targets j0..j0+3) that pass a screen: against query i's threshold and,
 * off the diagonal, against each target's. Bitmasks, so only passing lanes are visited.
 */
function lanes(i: i32, acc: v128, j0: i32, diag: bool): void {
  if (i >= gN) return;
  let m = i32x4.bitmask(i32x4.ge_s(acc, i32x4.splat(load<i32>(gThr + (<usize>i << 2))))) | (diag ? 0 : i32x4.bitmask(i32x4.ge_s(acc, v128.load(gThr + (<usize>j0 << 2)))));
  while (m != 0) {
    const lane = ctz(m);
    m &= m - 1;
    // Re-read the thresholds: an offer of an earlier lane may have raised them (a higher one still prunes exactly).
    const a = lane == 0 ? i32x4.extract_lane(acc, 0) : lane == 1 ? i32x4.extract_lane(acc, 1) : lane == 2 ? i32x4.extract_lane(acc, 2) : i32x4.extract_lane(acc, 3);
    const j = j0 + lane;
    const qPass = a >= load<i32>(gThr + (<usize>i << 2));
    const tPass = !diag && a >= load<i32>(gThr + (<usize>j << 2));
    if (qPass || tPass) pair(i, j, qPass, tPass);
  }
}

/**
 * Query octets [oStart, oEnd) against target octets P in [max(o, pStart), pEnd), into the heaps at heapScore /
 * heapIdx ([n][k]), heapSize ([nPad]) of the caller's worker; thr ([nPad]) is shared by every worker.
 */
export function similarCosineBlocks(
  qRows: usize, panels: usize, exact: usize, n: i32, rank: i32, rank2: i32, k: i32,
  heapScore: usize, heapIdx: usize, heapSize: usize, thr: usize, eps: f64,
  oStart: i32, oEnd: i32, pStart: i32, pEnd: i32,
): void {
  gN = n;
  gK = k;
  gRank = rank;
  gExact = exact;
  gHeapScore = heapScore;
  gHeapIdx = heapIdx;
  gHeapSize = heapSize;
  gThr = thr;
  gEps = eps;
  const rowBytes = <usize>rank2 << 1;
  const panelBytes = <usize>rank2 << 3; // 4 items x rank2 int16
  for (let o = oStart; o < oEnd; o++) {
    for (let half = 0; half < 2; half++) {
      const i0 = (o << 3) + (half << 2);
      const q0 = qRows + <usize>i0 * rowBytes;
      const thrAt = thr + (<usize>i0 << 2);
      for (let P = max(o, pStart); P < pEnd; P++) {
        const diag = P == o;
        const p0 = panels + (<usize>P << 1) * panelBytes;
        const p1 = p0 + panelBytes;
        let a00 = i32x4.splat(0); let a01 = i32x4.splat(0);
        let a10 = i32x4.splat(0); let a11 = i32x4.splat(0);
        let a20 = i32x4.splat(0); let a21 = i32x4.splat(0);
        let a30 = i32x4.splat(0); let a31 = i32x4.splat(0);
        let pp0 = p0;
        let pp1 = p1;
        let qq = q0;
        const qEndRow = q0 + rowBytes;
        while (qq < qEndRow) {
          const v0 = v128.load(pp0);
          const v1 = v128.load(pp1);
          const s0 = v128.load32_splat(qq);
          a00 = i32x4.add(a00, i32x4.dot_i16x8_s(s0, v0)); a01 = i32x4.add(a01, i32x4.dot_i16x8_s(s0, v1));
          const s1 = v128.load32_splat(qq + rowBytes);
          a10 = i32x4.add(a10, i32x4.dot_i16x8_s(s1, v0)); a11 = i32x4.add(a11, i32x4.dot_i16x8_s(s1, v1));
          const s2 = v128.load32_splat(qq + 2 * rowBytes);
          a20 = i32x4.add(a20, i32x4.dot_i16x8_s(s2, v0)); a21 = i32x4.add(a21, i32x4.dot_i16x8_s(s2, v1));
          const s3 = v128.load32_splat(qq + 3 * rowBytes);
          a30 = i32x4.add(a30, i32x4.dot_i16x8_s(s3, v0)); a31 = i32x4.add(a31, i32x4.dot_i16x8_s(s3, v1));
          pp0 += 16;
          pp1 += 16;
          qq += 4;
        }
        // One test for the tile: each query row against its own threshold, each target lane against its own.
        const t0 = v128.load32_splat(thrAt);
        const t1 = v128.load32_splat(thrAt, 4);
        const t2 = v128.load32_splat(thrAt, 8);
        const t3 = v128.load32_splat(thrAt, 12);
        let hit = v128.or(
          v128.or(v128.or(i32x4.ge_s(a00, t0), i32x4.ge_s(a01, t0)), v128.or(i32x4.ge_s(a10, t1), i32x4.ge_s(a11, t1))),
          v128.or(v128.or(i32x4.ge_s(a20, t2), i32x4.ge_s(a21, t2)), v128.or(i32x4.ge_s(a30, t3), i32x4.ge_s(a31, t3))));
        if (!diag) {
          const j0 = thr + (<usize>P << 5);
          const u0 = v128.load(j0);
          const u1 = v128.load(j0, 16);
          hit = v128.or(hit, v128.or(
            v128.or(v128.or(i32x4.ge_s(a00, u0), i32x4.ge_s(a01, u1)), v128.or(i32x4.ge_s(a10, u0), i32x4.ge_s(a11, u1))),
            v128.or(v128.or(i32x4.ge_s(a20, u0), i32x4.ge_s(a21, u1)), v128.or(i32x4.ge_s(a30, u0), i32x4.ge_s(a31, u1)))));
        }
        if (v128.any_true(hit)) {
          const j0 = P << 3;
          lanes(i0, a00, j0, diag); lanes(i0, a01, j0 + 4, diag);
          lanes(i0 + 1, a10, j0, diag); lanes(i0 + 1, a11, j0 + 4, diag);
          lanes(i0 + 2, a20, j0, diag); lanes(i0 + 2, a21, j0 + 4, diag);
          lanes(i0 + 3, a30, j0, diag); lanes(i0 + 3, a31, j0 + 4, diag);
        }
      }
    }
  }
}
