import { describe, expect, it } from "vitest";
import { formatFromExtension, knownExtensions } from "../../src/io/table-format.js";
import { inferFormat } from "../../src/io/read-table.js";
import { clusterFormat } from "../../src/engines/spark-connect/remote-data.js";

// Both engines tell a source's format from one table: a cluster path is read as the format a local file with the
// same extension is (remote-data.ts once had its own copy, which read .tab and .ndjson as Parquet).
describe("one format table for both engines", () => {
  it("reads a cluster path with each known extension as the local engine reads that file", async () => {
    for (const [ext, format] of Object.entries(knownExtensions())) {
      expect(clusterFormat({ path: `s3a://bucket/ratings${ext}` }), ext).toBe(format);
      expect(clusterFormat({ path: `hdfs://nn/data/RATINGS${ext.toUpperCase()}` }), ext).toBe(format);
      expect(await inferFormat(`ratings${ext}`), ext).toBe(format);
    }
  });

  it("reads .tab as tsv and .ndjson as jsonl on the cluster (the drifted copy said parquet)", () => {
    expect(clusterFormat({ path: "s3a://bucket/u.tab" })).toBe("tsv");
    expect(clusterFormat({ path: "gs://bucket/events.ndjson" })).toBe("jsonl");
  });

  it("reads a cluster path without a known extension as a Parquet folder, and a declared format wins", () => {
    expect(clusterFormat({ path: "s3a://bucket/ratings/" })).toBe("parquet");
    expect(clusterFormat({ path: "s3a://bucket/ratings" })).toBe("parquet");
    expect(clusterFormat({ path: "s3a://bucket/ratings.tab", format: "csv" })).toBe("csv");
    expect(formatFromExtension("ratings")).toBeUndefined();
  });
});
