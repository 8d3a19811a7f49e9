import { describe, expect, it } from "vitest";
import { isRowFilter } from "../../src/engines/spark-connect/stages/sql-transformer.js";

// Which statements keep the file-position column on the cluster (so drop-duplicates can still break ties by it): only
// a plain row filter; anything that may add, drop, repeat or reorder rows or columns loses it.
describe("isRowFilter", () => {
  it("recognises SELECT * FROM __THIS__ WHERE ..., in any case and layout", () => {
    expect(isRowFilter("SELECT * FROM __THIS__ WHERE ts >= 0")).toBe(true);
    expect(isRowFilter("  select *\n  from __THIS__\n  where rating is not null and (ts >= 0 or user = 'x')  ")).toBe(true);
  });

  it.each([
    "SELECT * FROM __THIS__",
    "SELECT user, item FROM __THIS__ WHERE ts >= 0",
    "SELECT *, rating * 2 AS r2 FROM __THIS__ WHERE ts >= 0",
    "SELECT * FROM __THIS__ WHERE ts >= 0 ORDER BY ts",
    "SELECT * FROM __THIS__ WHERE ts >= 0 LIMIT 10",
    "SELECT * FROM __THIS__ WHERE ts >= 0 UNION ALL SELECT * FROM __THIS__",
    "SELECT * FROM __THIS__ WHERE rating > (SELECT avg(rating) FROM __THIS__)",
    "SELECT * FROM __THIS__ a JOIN __THIS__ b ON a.user = b.user WHERE a.ts > 0",
    "SELECT * FROM __THIS__ WHERE ts >= 0; SELECT 1",
    "SELECT DISTINCT * FROM __THIS__ WHERE ts >= 0",
  ])("is not a row filter: %s", (statement) => {
    expect(isRowFilter(statement)).toBe(false);
  });
});
