import { describe, expect, it } from "vitest";
import { packTargetPanels, planTopKLayout, prepareQueries, prepareTargets, topKDot, topKViews } from "../../src/kernels/top-k-dot.js";
import { createTopKMemory, runTopKRange, topKWasmModule } from "../../src/kernels/top-k-dot-wasm.js";

describe("top-k kernels on one layout", () => {
  it("packs targets into panels of 4 with zero padding to a multiple of 8", () => {
    const rank = 2;
    const targets = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // 5 targets
    const out = new Float32Array(8 * rank).fill(99);
    packTargetPanels(targets, 5, rank, out);
    // panel 0: d0 lanes = targets 0..3 dim 0, d1 lanes = dim 1; panel 1: target 4 then zeros.
    expect(Array.from(out)).toEqual([1, 3, 5, 7, 2, 4, 6, 8, 9, 0, 0, 0, 10, 0, 0, 0]);
  });

  it("wasm and twin give identical rows across chunk boundaries (chunk smaller than the query count)", () => {
    const rank = 5;
    const nQueries = 23;
    const nTargets = 61;
    const num = 4;
    let s = 7;
    const next = (): number => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
    const queries = Float32Array.from({ length: nQueries * rank }, next);
    const targets = Float32Array.from({ length: nTargets * rank }, next);
    const problem = { nQueries, nTargets, rank, num, exclusionNnz: -1, workers: 1 };
    const layout = planTopKLayout(problem, 65536, 6);
    const memory = createTopKMemory(layout.totalBytes);
    const wasmViews = topKViews(memory.buffer, layout);
    prepareQueries(queries, wasmViews, layout);
    prepareTargets(targets, wasmViews, layout);
    runTopKRange({ engine: "wasm", memory, module: topKWasmModule() }, layout, 0, nQueries, 0);

    const jsBuffer = new ArrayBuffer(layout.totalBytes);
    const jsViews = topKViews(jsBuffer, layout);
    prepareQueries(queries, jsViews, layout);
    prepareTargets(targets, jsViews, layout);
    topKDot(jsViews, layout, 0, nQueries);

    expect(Array.from(wasmViews.outIdx)).toEqual(Array.from(jsViews.outIdx));
    expect(Array.from(wasmViews.outScores)).toEqual(Array.from(jsViews.outScores));
    // Rows are sorted best first and hold valid target indices.
    for (let q = 0; q < nQueries; q++) {
      for (let j = 0; j < num; j++) {
        expect(jsViews.outIdx[q * num + j]).toBeGreaterThanOrEqual(0);
        expect(jsViews.outIdx[q * num + j]).toBeLessThan(nTargets);
        if (j > 0) expect(jsViews.outScores[q * num + j]).toBeLessThanOrEqual(jsViews.outScores[q * num + j - 1]);
      }
    }
  });
});
