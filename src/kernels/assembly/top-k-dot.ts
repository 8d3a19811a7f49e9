// Top-k dot-product recommendation kernel (AssemblyScript, wasm SIMD128). Built by scripts/build-wasm.mjs into
// src/kernels/wasm/topk.wasm. Its readable twin, and the contract both follow, is src/kernels/top-k-dot.ts:
//
// - queries: row-major f32, stride `rank`. Targets: "panels" of 4 targets, f32 [panel][d][lane], panel count even
//   (targets padded to a multiple of 8; padded lanes are never reported). Panel slots hold the targets sorted by
//   norm, largest first: slotTarget[slot] is the target index a slot reports (its rank in id order).
// - score(q, t) = sum_d q[d] * t[d], accumulated in f32 in increasing d (Spark's ALSModel predict order).
// - keep the top `num` per query under the order (score, target index), larger first; NaN scores never enter.
//   Targets listed in the query's exclusion CSR row (sorted target indices) are skipped.
// - out[q * num + j] for j < count, sorted best first; the rest -1 / NaN.
//
// Exact pruning (as LEMP and FEXIPRO do): a computed score never exceeds queryBound[q] * stripeNorm[s] + 1e-30
// (Cauchy-Schwarz with f32 rounding error folded into queryBound) for any target of stripe s (32 slots) or later,
// since slots are in decreasing norm. Once that bound is below a query's current k-th score, nothing further can
// enter its heap, so the scan stops there for that query. The threshold only rises, so the result does not depend
// on where the scan stops: it is the brute-force result, ties included.
//
// Why panels: 4 targets per vector means no horizontal sums; each (4 queries x 2 panels) tile does 8 mul + 8 add
// per dimension for 2 panel loads + 4 splat loads. A SIMD compare against each query's current k-th score skips
// the scalar heap for almost every target.

/** Panels per pruning stripe (32 targets): the bound is checked once per stripe, amortised over its tiles. */
const STRIPE_PANELS: i32 = 8;
/** Added to every bound: covers products that underflow to subnormals, where relative error bounds fail. */
const BOUND_FLOOR: f64 = 1e-30;

// Each query's heap is a binary min-heap on (score, index): the root is the worst kept entry.
@inline function worse(sa: f32, ia: i32, sb: f32, ib: i32): bool {
  return sa < sb || (sa == sb && ia < ib);
}

function siftDown(hs: usize, hi: usize, size: i32, pos: i32): void {
  const s = load<f32>(hs + (<usize>pos << 2));
  const id = load<i32>(hi + (<usize>pos << 2));
  while (true) {
    const l = 2 * pos + 1;
    if (l >= size) break;
    let c = l;
    let cs = load<f32>(hs + (<usize>l << 2));
    let ci = load<i32>(hi + (<usize>l << 2));
    const r = l + 1;
    if (r < size) {
      const rs = load<f32>(hs + (<usize>r << 2));
      const ri = load<i32>(hi + (<usize>r << 2));
      if (worse(rs, ri, cs, ci)) { c = r; cs = rs; ci = ri; }
    }
    if (!worse(cs, ci, s, id)) break;
    store<f32>(hs + (<usize>pos << 2), cs);
    store<i32>(hi + (<usize>pos << 2), ci);
    pos = c;
  }
  store<f32>(hs + (<usize>pos << 2), s);
  store<i32>(hi + (<usize>pos << 2), id);
}

function siftUp(hs: usize, hi: usize, pos: i32): void {
  const s = load<f32>(hs + (<usize>pos << 2));
  const id = load<i32>(hi + (<usize>pos << 2));
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    const ps = load<f32>(hs + (<usize>parent << 2));
    const pi = load<i32>(hi + (<usize>parent << 2));
    if (!worse(s, id, ps, pi)) break;
    store<f32>(hs + (<usize>pos << 2), ps);
    store<i32>(hi + (<usize>pos << 2), pi);
    pos = parent;
  }
  store<f32>(hs + (<usize>pos << 2), s);
  store<i32>(hi + (<usize>pos << 2), id);
}

// Kernel state for one call, set by topKDot (globals keep the hot loop's argument list short).
let gNum: i32 = 0;
let gCap: i32 = 0;
let gNTargets: i32 = 0;
let gQStart: i32 = 0;
let gHasExcl: bool = false;
let gExclIndptr: usize = 0;
let gExclIndices: usize = 0;
let gHeapScore: usize = 0;
let gHeapIdx: usize = 0;
let gHeapSize: usize = 0;
let gThr: usize = 0;
let gSlotTarget: usize = 0;

function isExcluded(q: i32, idx: i32): bool {
  let lo = load<i32>(gExclIndptr + (<usize>q << 2));
  let hi = load<i32>(gExclIndptr + (<usize>(q + 1) << 2)) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = load<i32>(gExclIndices + (<usize>mid << 2));
    if (v == idx) return true;
    if (v < idx) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function offer(q: i32, score: f32, slot: i32): void {
  if (slot >= gNTargets) return; // padding lane
  if (!(score == score)) return; // NaN never enters
  const idx = load<i32>(gSlotTarget + (<usize>slot << 2));
  const qi = q - gQStart;
  const hs = gHeapScore + (<usize>qi * <usize>gNum << 2);
  const hi = gHeapIdx + (<usize>qi * <usize>gNum << 2);
  const sizePtr = gHeapSize + (<usize>qi << 2);
  const size = load<i32>(sizePtr);
  if (size < gCap) {
    if (gHasExcl && isExcluded(q, idx)) return;
    store<f32>(hs + (<usize>size << 2), score);
    store<i32>(hi + (<usize>size << 2), idx);
    siftUp(hs, hi, size);
    store<i32>(sizePtr, size + 1);
    if (size + 1 == gCap) store<f32>(gThr + (<usize>qi << 2), load<f32>(hs));
    return;
  }
  if (!worse(load<f32>(hs), load<i32>(hi), score, idx)) return;
  if (gHasExcl && isExcluded(q, idx)) return;
  store<f32>(hs, score);
  store<i32>(hi, idx);
  siftDown(hs, hi, size, 0);
  store<f32>(gThr + (<usize>qi << 2), load<f32>(hs));
}

@inline function offerLanes(q: i32, acc: v128, firstSlot: i32): void {
  offer(q, f32x4.extract_lane(acc, 0), firstSlot);
  offer(q, f32x4.extract_lane(acc, 1), firstSlot + 1);
  offer(q, f32x4.extract_lane(acc, 2), firstSlot + 2);
  offer(q, f32x4.extract_lane(acc, 3), firstSlot + 3);
}

@inline function filter(q: i32, acc: v128, firstSlot: i32): void {
  const t = f32x4.splat(load<f32>(gThr + (<usize>(q - gQStart) << 2)));
  if (v128.any_true(f32x4.ge(acc, t))) offerLanes(q, acc, firstSlot);
}

/** True when no target from stripe `stripe` on can enter query q's heap (its k-th score beats the bound). */
// @ts-ignore: decorator
@inline
function pruned(q: i32, qBounds: usize, stripeNorms: usize, stripe: i32): bool {
  const thr = <f64>load<f32>(gThr + (<usize>(q - gQStart) << 2));
  return load<f64>(qBounds + (<usize>q << 3)) * load<f64>(stripeNorms + (<usize>stripe << 3)) + BOUND_FLOOR < thr;
}

/**
 * Top `num` targets for queries [qStart, qEnd). Scratch (heapScore/heapIdx: (qEnd-qStart)*num, heapSize/thr/stop:
 * qEnd-qStart) belongs to the caller's worker. `blockPanels` (a multiple of 8) bounds the panels scanned per pass
 * so they stay in cache while every query of the range visits them.
 */
export function topKDot(
  queries: usize, rank: i32, panels: usize, nTargets: i32, num: i32,
  exclIndptr: usize, exclIndices: usize, hasExcl: i32,
  outIdx: usize, outScores: usize,
  heapScore: usize, heapIdx: usize, heapSize: usize, thr: usize,
  qStart: i32, qEnd: i32, blockPanels: i32,
  slotTarget: usize, stripeNorms: usize, qBounds: usize, stop: usize,
): void {
  gNum = num;
  gCap = min(num, nTargets);
  gNTargets = nTargets;
  gQStart = qStart;
  gHasExcl = hasExcl != 0;
  gExclIndptr = exclIndptr;
  gExclIndices = exclIndices;
  gHeapScore = heapScore;
  gHeapIdx = heapIdx;
  gHeapSize = heapSize;
  gThr = thr;
  gSlotTarget = slotTarget;
  const nq = qEnd - qStart;
  for (let i = 0; i < nq; i++) {
    store<i32>(heapSize + (<usize>i << 2), 0);
    store<f32>(thr + (<usize>i << 2), -Infinity);
    store<i32>(stop + (<usize>i << 2), 0); // 1 once the query (or its group of 4) is pruned for good
  }
  const nPanels = ((nTargets + 7) >> 3) << 1;
  const panelBytes = <usize>rank << 4;
  const rowBytes = <usize>rank << 2;
  if (gCap > 0) {
    for (let pb = 0; pb < nPanels; pb += blockPanels) {
      const pe = min(pb + blockPanels, nPanels);
      let q = qStart;
      for (; q + 4 <= qEnd; q += 4) {
        const stopAt = stop + (<usize>(q - qStart) << 2);
        if (load<i32>(stopAt)) continue;
        const q0 = queries + <usize>q * rowBytes;
        const q1 = q0 + rowBytes;
        const q2 = q1 + rowBytes;
        const q3 = q2 + rowBytes;
        for (let p = pb; p < pe; p += 2) {
          if ((p & (STRIPE_PANELS - 1)) == 0) {
            const stripe = p / STRIPE_PANELS;
            if (pruned(q, qBounds, stripeNorms, stripe) && pruned(q + 1, qBounds, stripeNorms, stripe) &&
                pruned(q + 2, qBounds, stripeNorms, stripe) && pruned(q + 3, qBounds, stripeNorms, stripe)) {
              store<i32>(stopAt, 1);
              break;
            }
          }
          const p0 = panels + <usize>p * panelBytes;
          const p1 = p0 + panelBytes;
          let a00 = f32x4.splat(0); let a01 = f32x4.splat(0);
          let a10 = f32x4.splat(0); let a11 = f32x4.splat(0);
          let a20 = f32x4.splat(0); let a21 = f32x4.splat(0);
          let a30 = f32x4.splat(0); let a31 = f32x4.splat(0);
          // pointers stepped rather than indexed: the loop body is then loads at constant offsets only
          let pp0 = p0;
          let pp1 = p1;
          let qq = q0;
          const qEndRow = q0 + rowBytes;
          while (qq < qEndRow) {
            const v0 = v128.load(pp0);
            const v1 = v128.load(pp1);
            const s0 = v128.load32_splat(qq);
            a00 = f32x4.add(a00, f32x4.mul(s0, v0)); a01 = f32x4.add(a01, f32x4.mul(s0, v1));
            const s1 = v128.load32_splat(qq + rowBytes);
            a10 = f32x4.add(a10, f32x4.mul(s1, v0)); a11 = f32x4.add(a11, f32x4.mul(s1, v1));
            const s2 = v128.load32_splat(qq + 2 * rowBytes);
            a20 = f32x4.add(a20, f32x4.mul(s2, v0)); a21 = f32x4.add(a21, f32x4.mul(s2, v1));
            const s3 = v128.load32_splat(qq + 3 * rowBytes);
            a30 = f32x4.add(a30, f32x4.mul(s3, v0)); a31 = f32x4.add(a31, f32x4.mul(s3, v1));
            pp0 += 16;
            pp1 += 16;
            qq += 4;
          }
          // One test for the whole tile against the 4 thresholds: almost every tile has no candidate at all.
          const thrAt = gThr + (<usize>(q - qStart) << 2);
          const t0 = v128.load32_splat(thrAt);
          const t1 = v128.load32_splat(thrAt, 4);
          const t2 = v128.load32_splat(thrAt, 8);
          const t3 = v128.load32_splat(thrAt, 12);
          const hit = v128.or(
            v128.or(v128.or(f32x4.ge(a00, t0), f32x4.ge(a01, t0)), v128.or(f32x4.ge(a10, t1), f32x4.ge(a11, t1))),
            v128.or(v128.or(f32x4.ge(a20, t2), f32x4.ge(a21, t2)), v128.or(f32x4.ge(a30, t3), f32x4.ge(a31, t3))));
          if (v128.any_true(hit)) {
            const i0 = p << 2;
            filter(q, a00, i0); filter(q, a01, i0 + 4);
            filter(q + 1, a10, i0); filter(q + 1, a11, i0 + 4);
            filter(q + 2, a20, i0); filter(q + 2, a21, i0 + 4);
            filter(q + 3, a30, i0); filter(q + 3, a31, i0 + 4);
          }
        }
      }
      for (; q < qEnd; q++) {
        const stopAt = stop + (<usize>(q - qStart) << 2);
        if (load<i32>(stopAt)) continue;
        const q0 = queries + <usize>q * rowBytes;
        for (let p = pb; p < pe; p += 2) {
          if ((p & (STRIPE_PANELS - 1)) == 0 && pruned(q, qBounds, stripeNorms, p / STRIPE_PANELS)) {
            store<i32>(stopAt, 1);
            break;
          }
          const p0 = panels + <usize>p * panelBytes;
          const p1 = p0 + panelBytes;
          let a00 = f32x4.splat(0); let a01 = f32x4.splat(0);
          let pp0 = p0;
          let pp1 = p1;
          let qq = q0;
          const qEndRow = q0 + rowBytes;
          while (qq < qEndRow) {
            const s0 = v128.load32_splat(qq);
            a00 = f32x4.add(a00, f32x4.mul(s0, v128.load(pp0)));
            a01 = f32x4.add(a01, f32x4.mul(s0, v128.load(pp1)));
            pp0 += 16;
            pp1 += 16;
            qq += 4;
          }
          const i0 = p << 2;
          filter(q, a00, i0); filter(q, a01, i0 + 4);
        }
      }
    }
  }
  // Drain each heap worst-first into its output row from the back, so the row ends up best first.
  for (let i = 0; i < nq; i++) {
    const hs = heapScore + (<usize>i * <usize>num << 2);
    const hi = heapIdx + (<usize>i * <usize>num << 2);
    const row = <usize>(qStart + i) * <usize>num;
    let size = load<i32>(heapSize + (<usize>i << 2));
    for (let j = size; j < num; j++) {
      store<i32>(outIdx + ((row + <usize>j) << 2), -1);
      store<f32>(outScores + ((row + <usize>j) << 2), NaN);
    }
    while (size > 0) {
      size--;
      store<i32>(outIdx + ((row + <usize>size) << 2), load<i32>(hi));
      store<f32>(outScores + ((row + <usize>size) << 2), load<f32>(hs));
      store<f32>(hs, load<f32>(hs + (<usize>size << 2)));
      store<i32>(hi, load<i32>(hi + (<usize>size << 2)));
      siftDown(hs, hi, size, 0);
    }
  }
}
