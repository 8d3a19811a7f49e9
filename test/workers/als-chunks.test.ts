import { describe, expect, it } from "vitest";
import { ALS_CHUNK_RATINGS, ALS_CHUNK_ROWS } from "../../src/kernels/als-layout.js";
import { chunkStarts } from "../../src/workers/als-chunks.js";

describe("ALS chunk boundaries", () => {
  it("close at ALS_CHUNK_ROWS rows, or earlier when a chunk holds ALS_CHUNK_RATINGS ratings", () => {
    // 3000 rows: the first 10 rows are "popular" (20,000 ratings each), the rest have 5.
    const rows = 3000;
    const indptr = new Int32Array(rows + 1);
    for (let r = 0; r < rows; r++) indptr[r + 1] = indptr[r] + (r < 10 ? 20_000 : 5);
    const starts = chunkStarts(indptr, rows);
    expect(starts[0]).toBe(0);
    expect(starts[starts.length - 1]).toBe(rows);
    for (let c = 0; c + 1 < starts.length; c++) {
      const n = starts[c + 1] - starts[c];
      const ratings = indptr[starts[c + 1]] - indptr[starts[c]];
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(ALS_CHUNK_ROWS);
      // a chunk only exceeds the rating budget through its last row
      expect(indptr[starts[c + 1] - 1] - indptr[starts[c]]).toBeLessThan(ALS_CHUNK_RATINGS);
      expect(ratings).toBeGreaterThan(0);
    }
    // the popular head is spread over several chunks rather than sitting in the first one
    expect(starts.findIndex((s) => s >= 10)).toBeGreaterThan(2);
    // boundaries are a function of the CSR alone
    expect([...chunkStarts(indptr, rows)]).toEqual([...starts]);
  });
});
