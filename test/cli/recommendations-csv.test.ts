/** Recommendations as CSV go through the one CSV writer (tableToCsv): ids holding a comma, quote, CR or LF are quoted. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { writeRecommendations } from "../../src/cli/write-recommendations.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-recs-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const recs = {
  userCol: "user",
  itemCol: "item",
  users: [{ user: "a\rb", items: [{ item: 'say "hi", then\nleave', rating: 0.5 }] }],
};
const expected = 'user,rank,item,rating\n"a\rb",1,"say ""hi"", then\nleave",0.5\n';

describe("recommend --format csv", () => {
  it("on stdout quotes CR, LF, commas and quotes", async () => {
    let printed = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((printed += String(s)), true));
    try {
      await writeRecommendations(recs, "csv");
    } finally {
      spy.mockRestore();
    }
    expect(printed).toBe(expected);
  });

  it("to a file, the same bytes", async () => {
    const out = path.join(dir, "r.csv");
    await writeRecommendations(recs, "csv", out);
    expect(readFileSync(out, "utf8")).toBe(expected);
  });
});
