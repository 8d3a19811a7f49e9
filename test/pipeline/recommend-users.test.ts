/** A run's `recommend.users` follows the same unknown-user rule as `recpipe recommend --user` (requestedUsers). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isInputError } from "../../src/core/errors.js";
import { run } from "../../src/run/run.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-recommend-users-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pipeline(users: string): string {
  const file = path.join(dir, `p-${users.replace(/\W+/g, "")}.yaml`);
  writeFileSync(
    file,
    `name: r
source: {type: synthetic-ratings, users: 40, items: 30, rank: 2, density: 0.4}
split: {type: random-split, weights: [1, 0.0001]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, rank: 2, maxIter: 2, coldStartStrategy: drop}
recommend: {k: 2, users: ${users}}
`,
  );
  return file;
}

describe("recommend.users", () => {
  it("a user the model never saw gets no list and a warning; the others get theirs", async () => {
    const warnings: string[] = [];
    const r = await run(pipeline("[u1, nobody]"), { outDir: path.join(dir, "runs"), workers: 1, warn: (m) => warnings.push(m) });
    expect(r.runDir).toBeTruthy();
    expect(warnings).toContainEqual(
      expect.stringContaining('recommend.users: user "nobody" is not in the model\'s training data, so it gets no recommendations'),
    );
  });

  it("none of the users known: exit 2 naming recommend.users", async () => {
    const e = await run(pipeline("[nobody, nobody2]"), { outDir: path.join(dir, "runs"), workers: 1 }).catch((x: unknown) => x);
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toContain('recommend.users: none of the users "nobody", "nobody2" is in the model\'s training data');
  });
});
