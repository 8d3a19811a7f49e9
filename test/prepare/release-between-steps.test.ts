/**
 * A prepare step that keeps memory for its next use (the SQL engine) is told to let it go once it is done with a
 * large table, before the next step allocates: otherwise DuckDB's ~100 MB sits under every later step's peak.
 */
import { makeVector, Table, type Schema } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { quietContext } from "../../src/core/run-context.js";
import type { Transformer } from "../../src/core/stage.js";
import { applyPrepare } from "../../src/prepare/apply-prepare.js";
import { closeSqlEngine, runSql } from "../../src/sql/sql-engine.js";
import { sqlTransformer } from "../../stages/sql-transformer.js";

function ratings(n: number): Table {
  return new Table({
    user: makeVector(Int32Array.from({ length: n }, (_, i) => i % 1000)),
    item: makeVector(Int32Array.from({ length: n }, (_, i) => i % 77)),
  });
}

/** A step that keeps every row but the first and records when it runs and when it is released. */
function recordingStep(name: string, events: string[]): Transformer {
  return {
    role: "transformer",
    type: "recording",
    name,
    uid: name,
    params: {},
    transformSchema: (s: Schema) => s,
    transform(t: Table) {
      events.push(`${name}:transform`);
      return t.slice(1);
    },
    async release() {
      events.push(`${name}:release`);
    },
    save: () => {
      throw new Error("not saved");
    },
  } as unknown as Transformer;
}

describe("prepare releases what a step keeps", () => {
  it("after a step over a large table, before the next step runs", async () => {
    const events: string[] = [];
    const out = await applyPrepare([recordingStep("a", events), recordingStep("b", events)], ratings((1 << 20) + 2), quietContext(), {
      user: "user",
      item: "item",
    });
    expect(out.table.numRows).toBe(1 << 20);
    expect(events).toEqual(["a:transform", "a:release", "b:transform", "b:release"]);
  });

  it("not after a small table, whose step keeps its engine for the next use", async () => {
    const events: string[] = [];
    await applyPrepare([recordingStep("a", events)], ratings(5000), quietContext(), { user: "user", item: "item" });
    expect(events).toEqual(["a:transform"]);
  });
});

describe("the SQL engine closed between statements", () => {
  it("sql-transformer releases by closing the engine, and the next statement starts a new one with the same answer", async () => {
    const stage = buildStage(sqlTransformer, { statement: "SELECT * FROM __THIS__ WHERE item < 7" }) as Transformer;
    expect(stage.release).toBe(closeSqlEngine);
    const t = ratings(20000);
    const first = runSql(t, "SELECT * FROM __THIS__ WHERE item < 7", "w");
    await stage.release!();
    await closeSqlEngine(); // closing a closed engine is a no-op
    const again = runSql(t, "SELECT * FROM __THIS__ WHERE item < 7", "w");
    expect(again.numRows).toBe(first.numRows);
    expect(Array.from(again.getChild("user")!.toArray())).toEqual(Array.from(first.getChild("user")!.toArray()));
    expect(first.numRows).toBe(Array.from({ length: 20000 }, (_, i) => i % 77).filter((x) => x < 7).length);
  });
});
