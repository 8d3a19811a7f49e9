/**
 * Spark's RankingMetrics (mllib, 3.4+) per query on typed arrays, plus recpipe's hit rate and MRR.
 *
 * Queries are given in CSR form: predicted lists `pred[predPtr[q]..predPtr[q+1])` in rank order (duplicates are
 * kept, as Spark keeps them) and relevant items `rel[relPtr[q]..relPtr[q+1])`, which must be distinct and sorted
 * ascending per query (the caller dedups). A query with no relevant items scores 0 and still counts, as in Spark.
 */
export type RankingMetricName = "meanAveragePrecision" | "meanAveragePrecisionAtK" | "precisionAtK" | "ndcgAtK" | "recallAtK" | "hitRateAtK" | "mrrAtK";

export interface RankingQueries {
  predPtr: Int32Array;
  pred: Int32Array;
  relPtr: Int32Array;
  rel: Int32Array;
}

/** Per-query scores of `metric` at `k` (k is ignored by meanAveragePrecision, which uses max(|P|, |S|)). */
export function rankingScores(metric: RankingMetricName, q: RankingQueries, k: number): Float64Array {
  const numQueries = q.predPtr.length - 1;
  const out = new Float64Array(numQueries);
  for (let i = 0; i < numQueries; i++) {
    const p0 = q.predPtr[i];
    const pLen = q.predPtr[i + 1] - p0;
    const r0 = q.relPtr[i];
    const sLen = q.relPtr[i + 1] - r0;
    if (sLen === 0) continue; // Spark: empty ground truth scores 0 (with a warning)
    const isRel = (j: number) => contains(q.rel, r0, r0 + sLen, q.pred[p0 + j]);
    out[i] = scoreOne(metric, pLen, sLen, isRel, k);
  }
  return out;
}

/** Mean of the per-query scores (NaN with no queries, as Spark's mean of an empty RDD). */
export function rankingMetric(metric: RankingMetricName, q: RankingQueries, k: number): number {
  const s = rankingScores(metric, q, k);
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i];
  return sum / s.length;
}

function scoreOne(metric: RankingMetricName, pLen: number, sLen: number, isRel: (j: number) => boolean, k: number): number {
  switch (metric) {
    case "precisionAtK":
      return countHits(Math.min(pLen, k), isRel) / k;
    case "recallAtK":
      return countHits(Math.min(pLen, k), isRel) / sLen;
    case "meanAveragePrecisionAtK":
      return averagePrecision(pLen, sLen, isRel, k);
    case "meanAveragePrecision":
      return averagePrecision(pLen, sLen, isRel, Math.max(pLen, sLen));
    case "ndcgAtK": {
      const n = Math.min(Math.max(pLen, sLen), k);
      let dcg = 0;
      let maxDcg = 0;
      for (let i = 0; i < n; i++) {
        const gain = 1 / Math.log(i + 2);
        if (i < pLen && isRel(i)) dcg += gain;
        if (i < sLen) maxDcg += gain;
      }
      return dcg / maxDcg;
    }
    case "hitRateAtK":
      return countHits(Math.min(pLen, k), isRel) > 0 ? 1 : 0;
    case "mrrAtK": {
      const n = Math.min(pLen, k);
      for (let i = 0; i < n; i++) if (isRel(i)) return 1 / (i + 1);
      return 0;
    }
  }
}

function countHits(n: number, isRel: (j: number) => boolean): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (isRel(i)) c++;
  return c;
}

/** Spark's averagePrecision(pred, lab, k): precision at each hit within the first min(k, |P|), over min(|S|, k). */
function averagePrecision(pLen: number, sLen: number, isRel: (j: number) => boolean, k: number): number {
  const n = Math.min(k, pLen);
  let cnt = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (isRel(i)) {
      cnt++;
      sum += cnt / (i + 1);
    }
  }
  return sum / Math.min(sLen, k);
}

function contains(sorted: Int32Array, lo: number, hi: number, x: number): boolean {
  hi--;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid];
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
