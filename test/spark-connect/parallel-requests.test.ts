/**
 * Requests in flight at once that share a sql() relation (parallel trials over one fold): Spark registers each SQL
 * reference as a session temporary view under its alias for the length of a request, so shared alias names let one
 * request drop another's views (TABLE_OR_VIEW_NOT_FOUND). Each request gets its own names (request-aliases.ts).
 */
import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { SparkConnectClient } from "../../src/engines/spark-connect/transport/client.js";
import { SparkMl } from "../../src/engines/spark-connect/transport/ml.js";
import { rootPlan, sql } from "../../src/engines/spark-connect/transport/plan.js";
import { parseRemoteUrl } from "../../src/engines/spark-connect/transport/remote-url.js";
import type { Relation } from "../../src/engines/spark-connect/gen/spark/connect/relations_pb.js";
import { ExecutePlanResponseSchema } from "../../src/engines/spark-connect/gen/spark/connect/base_pb.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";
import { serverInfo, waitForServer } from "./spark-server.js";

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Every alias a relation tree names, in SQL texts and SubqueryAlias references. */
function names(rel: Relation | undefined, out = { sql: [] as string[], refs: [] as string[] }) {
  if (!rel) return out;
  const r = rel.relType;
  if (r.case === "sql") out.sql.push(...(r.value.query.match(/recpipe_\w+/g) ?? []));
  if (r.case === "withRelations") {
    names(r.value.root, out);
    for (const ref of r.value.references) names(ref, out);
  }
  if (r.case === "subqueryAlias") {
    out.refs.push(r.value.alias);
    names(r.value.input, out);
  }
  return out;
}

describe("one relation in several requests", () => {
  it("gets other alias names in each request, the same in the SQL text and the references", async () => {
    fake = await startFakeServer("4.0.5", () => [create(ExecutePlanResponseSchema, {})]);
    const client = await SparkConnectClient.connect(parseRemoteUrl(fake.url, {}), "test");
    const inner = sql("SELECT 1 AS x");
    const shared = sql("SELECT * FROM {d} WHERE x > 0", { d: sql("SELECT x FROM {t}", { t: inner }) });
    await Promise.all([client.execute(rootPlan(shared), "a"), client.execute(rootPlan(shared), "b")]);
    client.close();
    const [a, b] = fake.requests.map((r) => names(r.plan!.opType.value as Relation));
    expect(a.refs).toHaveLength(2);
    expect(new Set(a.sql)).toEqual(new Set(a.refs));
    expect(new Set(b.sql)).toEqual(new Set(b.refs));
    expect(a.refs.filter((n) => b.refs.includes(n))).toEqual([]);
    // The relation itself is untouched (it is shared by the callers).
    expect(names(shared).refs.every((n) => /^recpipe_[a-z]+_\d+$/.test(n))).toBe(true);
  });

  const info = serverInfo("4.0");
  it.runIf(!("missing" in info))(
    "Spark 4.0: eight requests at once over one nested sql() relation all succeed",
    async () => {
      const server = await waitForServer(info);
      const client = await SparkConnectClient.connect(parseRemoteUrl(server.url, {}), "recpipe-test");
      const ml = new SparkMl(client);
      try {
        const base = sql("SELECT id, rand(7) AS r FROM range(20000)");
        const fold = sql("SELECT * FROM {d} WHERE r < 0.5", { d: base });
        const counts = await Promise.all(
          Array.from({ length: 8 }, (_, i) => ml.collect(sql(`SELECT count(*) AS n, ${i} AS i FROM {f}`, { f: fold }), `count ${i}`)),
        );
        const n = counts.map((t) => Number(t.getChild("n")!.get(0)));
        expect(new Set(n).size).toBe(1);
        expect(n[0]).toBeGreaterThan(9000);
      } finally {
        await client.releaseSession();
        client.close();
      }
    },
    300_000,
  );
});
