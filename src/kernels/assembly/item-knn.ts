// Item-item nearest neighbours (AssemblyScript). Built by scripts/build-wasm.mjs into src/kernels/wasm/itemknn.wasm.
// Its readable twin, and the contract both follow bit for bit, is src/kernels/item-knn.ts; the buffer layout is
// src/kernels/item-knn-layout.ts. In short:
//
// - itemNeighbourPairs (phase 1): for item i, acc[j] = sum over i's users u (ascending) of x[u,i] * x[u,j] in f64 for
//   the items j > i in u's row only (from colRowPos[p] + 1 to colRowEnd[p] for i's column entry p) (SMMP sparse products into a dense per-worker accumulator, as benfred/implicit's
//   all_pairs_knn, each unordered pair once: dot and sim are symmetric bit for bit); candidates are j > i with
//   acc[j] != 0, scored acc[j] / (norms[i] * norms[j] + shrinkage) and offered as (score, j) to i's heap and
//   (score, i) to j's, in the worker's own heap per item (the twin's item-heaps.ts and NeighbourHeaps describe them).
// - mergeNeighbourHeaps (phase 2): item i's list is the top k under (score, j), larger first, of every worker's heap
//   for i.
// - recommendFromNeighbourRows: for a user, acc[j] = sum over the user's items i and i's neighbour list of
//   rating * sim(i, j); the user's excluded items (an exclusion CSR over users) are zeroed; candidates are acc[j] != 0; top `num` under (score, j).
// - out rows: count entries best first (f32), then -1 / NaN. The accumulator is all zeros again on return.
//
// The accumulator is cleared while candidates are collected: by walking the same entries again when that is cheaper
// than a scan of the items after i, else by a scan. Both visit the same non-zero entries, so the result is the same.

// The heap of one row: a binary min-heap on (f64 score, i32 index) whose root is the worst entry kept.
let gHeapScore: usize = 0;
let gHeapIdx: usize = 0;
let gSize: i32 = 0;
let gCap: i32 = 0;

// Points the row heap at (scores, idx), room for cap entries, empty: merge and recommend each keep one for all rows.
// @ts-ignore: decorator
@inline function useRowHeap(scores: usize, idx: usize, cap: i32): void {
  gHeapScore = scores;
  gHeapIdx = idx;
  gCap = cap;
  gSize = 0;
}

// @ts-ignore: decorator
@inline function worse(sa: f64, ia: i32, sb: f64, ib: i32): bool {
  return sa < sb || (sa == sb && ia < ib);
}

// Writes entry (score, index) at heap position pos: the one store every heap move ends in.
// @ts-ignore: decorator
@inline function put(pos: i32, score: f64, index: i32): void {
  store<f64>(gHeapScore + (<usize>pos << 3), score);
  store<i32>(gHeapIdx + (<usize>pos << 2), index);
}

function siftDown(pos: i32): void {
  const s = load<f64>(gHeapScore + (<usize>pos << 3));
  const id = load<i32>(gHeapIdx + (<usize>pos << 2));
  while (true) {
    const l = 2 * pos + 1;
    if (l >= gSize) break;
    let c = l;
    let cs = load<f64>(gHeapScore + (<usize>l << 3));
    let ci = load<i32>(gHeapIdx + (<usize>l << 2));
    const r = l + 1;
    if (r < gSize) {
      const rs = load<f64>(gHeapScore + (<usize>r << 3));
      const ri = load<i32>(gHeapIdx + (<usize>r << 2));
      if (worse(rs, ri, cs, ci)) { c = r; cs = rs; ci = ri; }
    }
    if (!worse(cs, ci, s, id)) break;
    put(pos, cs, ci);
    pos = c;
  }
  put(pos, s, id);
}

function offer(score: f64, index: i32): void {
  if (gSize < gCap) {
    let pos = gSize++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const ps = load<f64>(gHeapScore + (<usize>parent << 3));
      const pi = load<i32>(gHeapIdx + (<usize>parent << 2));
      if (!worse(score, index, ps, pi)) break;
      put(pos, ps, pi);
      pos = parent;
    }
    put(pos, score, index);
  } else if (gCap > 0 && worse(load<f64>(gHeapScore), load<i32>(gHeapIdx), score, index)) {
    put(0, score, index);
    siftDown(0);
  }
}

/** Empties the heap into row `offset` of (outIdx, outScores), best first, padded to `width` with -1 / NaN. */
function drainInto(outIdx: usize, outScores: usize, offset: i32, width: i32): void {
  const count = gSize;
  while (gSize > 0) {
    const last = --gSize;
    store<i32>(outIdx + (<usize>(offset + last) << 2), load<i32>(gHeapIdx));
    store<f32>(outScores + (<usize>(offset + last) << 2), <f32>load<f64>(gHeapScore));
    put(0, load<f64>(gHeapScore + (<usize>last << 3)), load<i32>(gHeapIdx + (<usize>last << 2)));
    siftDown(0);
  }
  for (let t = count; t < width; t++) {
    store<i32>(outIdx + (<usize>(offset + t) << 2), -1);
    store<f32>(outScores + (<usize>(offset + t) << 2), <f32>NaN);
  }
}

// The heaps of one worker slot, one per item (phase 1): item j's k entries at gScores + j*k*8 / gIdx + j*k*4, its
// size at gSizes[j], and gFloors[j] its root's score once full (-Infinity until then), so a reject reads one dense array.
let gScores: usize = 0;
let gIdx: usize = 0;
let gSizes: usize = 0;
let gFloors: usize = 0;

// Would d / den lose to a heap with this floor? Without dividing (the twin's rejectedBy explains the bound).
// @ts-ignore: decorator
@inline function rejectedBy(floor: f64, d: f64, den: f64): bool {
  const t = floor * den;
  const a = abs<f64>(t);
  return a > 1e-200 && d < t - a * 9.094947017729282e-13;
}

function offerTo(item: i32, score: f64, index: i32): void {
  const base = <usize>item * <usize>gCap;
  gHeapScore = gScores + (base << 3);
  gHeapIdx = gIdx + (base << 2);
  const sp = gSizes + (<usize>item << 2);
  gSize = load<i32>(sp);
  offer(score, index);
  store<i32>(sp, gSize);
  if (gSize == gCap) store<f64>(gFloors + (<usize>item << 3), load<f64>(gHeapScore));
}

// The pair (i, j) with dot d: (sim, j) to i's heap, (sim, i) to j's.
// @ts-ignore: decorator
@inline function offerPair(i: i32, j: i32, d: f64, den: f64): void {
  const keepI = !rejectedBy(load<f64>(gFloors + (<usize>i << 3)), d, den);
  const keepJ = !rejectedBy(load<f64>(gFloors + (<usize>j << 3)), d, den);
  if (keepI || keepJ) {
    const sim = d / den;
    if (keepI) offerTo(i, sim, j);
    if (keepJ) offerTo(j, sim, i);
  }
}

export function itemNeighbourPairs(
  colPtr: usize, colRowEnd: usize, colVals: usize, colRowPos: usize, rowPtr: usize, rowItems: usize, rowVals: usize,
  norms: usize, nItems: i32, k: i32, shrinkage: f64, rowStart: i32, rowEnd: i32,
  acc: usize, heapScores: usize, heapFloors: usize, heapIdx: usize, heapSizes: usize,
): void {
  gScores = heapScores;
  gIdx = heapIdx;
  gSizes = heapSizes;
  gFloors = heapFloors;
  gCap = k;
  for (let i = rowStart; i < rowEnd; i++) {
    const pStart = load<i32>(colPtr + (<usize>i << 2));
    const pEnd = load<i32>(colPtr + (<usize>(i + 1) << 2));
    let work: i64 = 0;
    for (let p = pStart; p < pEnd; p++) {
      const w = <f64>load<f32>(colVals + (<usize>p << 2));
      const qStart = load<i32>(colRowPos + (<usize>p << 2)) + 1;
      const qEnd = load<i32>(colRowEnd + (<usize>p << 2));
      // 4 entries per step: a row's items are distinct, so the four updates never touch the same accumulator
      let q = qStart;
      for (; q + 4 <= qEnd; q += 4) {
        const ip = rowItems + (<usize>q << 2);
        const vp = rowVals + (<usize>q << 2);
        const a0 = acc + (<usize>load<i32>(ip) << 3);
        const a1 = acc + (<usize>load<i32>(ip, 4) << 3);
        const a2 = acc + (<usize>load<i32>(ip, 8) << 3);
        const a3 = acc + (<usize>load<i32>(ip, 12) << 3);
        store<f64>(a0, load<f64>(a0) + w * <f64>load<f32>(vp));
        store<f64>(a1, load<f64>(a1) + w * <f64>load<f32>(vp, 4));
        store<f64>(a2, load<f64>(a2) + w * <f64>load<f32>(vp, 8));
        store<f64>(a3, load<f64>(a3) + w * <f64>load<f32>(vp, 12));
      }
      for (; q < qEnd; q++) {
        const a = acc + (<usize>load<i32>(rowItems + (<usize>q << 2)) << 3);
        store<f64>(a, load<f64>(a) + w * <f64>load<f32>(rowVals + (<usize>q << 2)));
      }
      work += qEnd - qStart;
    }
    const di = load<f64>(norms + (<usize>i << 3));
    if (work < <i64>(nItems - i - 1)) {
      for (let p = pStart; p < pEnd; p++) {
        const qStart = load<i32>(colRowPos + (<usize>p << 2)) + 1;
        const qEnd = load<i32>(colRowEnd + (<usize>p << 2));
        for (let q = qStart; q < qEnd; q++) {
          const j = load<i32>(rowItems + (<usize>q << 2));
          const a = acc + (<usize>j << 3);
          const d = load<f64>(a);
          if (d == 0) continue;
          store<f64>(a, 0);
          offerPair(i, j, d, di * load<f64>(norms + (<usize>j << 3)) + shrinkage);
        }
      }
    } else {
      for (let j = i + 1; j < nItems; j++) {
        const a = acc + (<usize>j << 3);
        const d = load<f64>(a);
        if (d == 0) continue;
        store<f64>(a, 0);
        offerPair(i, j, d, di * load<f64>(norms + (<usize>j << 3)) + shrinkage);
      }
    }
  }
}

export function mergeNeighbourHeaps(
  outIdx: usize, outScores: usize, k: i32, rowStart: i32, rowEnd: i32, slots: i32,
  heapScores0: usize, heapIdx0: usize, heapSizes0: usize, slotBytes: usize, mergeScore: usize, mergeIdx: usize,
): void {
  useRowHeap(mergeScore, mergeIdx, k);
  for (let i = rowStart; i < rowEnd; i++) {
    const base = <usize>i * <usize>k;
    for (let s = 0; s < slots; s++) {
      const off = <usize>s * slotBytes;
      const n = load<i32>(heapSizes0 + off + (<usize>i << 2));
      for (let t = 0; t < n; t++) {
        const e = base + <usize>t;
        offer(load<f64>(heapScores0 + off + (e << 3)), load<i32>(heapIdx0 + off + (e << 2)));
      }
    }
    drainInto(outIdx, outScores, i * k, k);
  }
}

export function recommendFromNeighbourRows(
  rowPtr: usize, rowItems: usize, rowRatings: usize, nbrIdx: usize, nbrSim: usize, nbrCount: usize, queryRows: usize,
  exclIndptr: usize, exclIndices: usize, hasExcl: i32, outIdx: usize, outScores: usize, k: i32, num: i32,
  qStart: i32, qEnd: i32, acc: usize, heapScore: usize, heapIdx: usize,
): void {
  useRowHeap(heapScore, heapIdx, num);
  for (let q = qStart; q < qEnd; q++) {
    const r = load<i32>(queryRows + (<usize>q << 2));
    if (r >= 0) {
      const pStart = load<i32>(rowPtr + (<usize>r << 2));
      const pEnd = load<i32>(rowPtr + (<usize>(r + 1) << 2));
      for (let p = pStart; p < pEnd; p++) {
        const i = load<i32>(rowItems + (<usize>p << 2));
        const w = <f64>load<f32>(rowRatings + (<usize>p << 2));
        const base = <usize>i * <usize>k;
        const n = load<i32>(nbrCount + (<usize>i << 2));
        for (let t = 0; t < n; t++) {
          const a = acc + (<usize>load<i32>(nbrIdx + ((base + <usize>t) << 2)) << 3);
          store<f64>(a, load<f64>(a) + w * <f64>load<f32>(nbrSim + ((base + <usize>t) << 2)));
        }
      }
      if (hasExcl) {
        const eEnd = load<i32>(exclIndptr + (<usize>(r + 1) << 2));
        for (let e = load<i32>(exclIndptr + (<usize>r << 2)); e < eEnd; e++) {
          store<f64>(acc + (<usize>load<i32>(exclIndices + (<usize>e << 2)) << 3), 0);
        }
      }
      for (let p = pStart; p < pEnd; p++) {
        const i = load<i32>(rowItems + (<usize>p << 2));
        const base = <usize>i * <usize>k;
        const n = load<i32>(nbrCount + (<usize>i << 2));
        for (let t = 0; t < n; t++) {
          const j = load<i32>(nbrIdx + ((base + <usize>t) << 2));
          const a = acc + (<usize>j << 3);
          const s = load<f64>(a);
          if (s == 0) continue;
          store<f64>(a, 0);
          offer(s, j);
        }
      }
    }
    drainInto(outIdx, outScores, q * num, num);
  }
}
