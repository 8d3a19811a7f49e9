/**
 * RECPIPE_CONNECT_PROFILE (transport/rpc-profile.ts) against a fake server: every request counted by RPC, plan kind
 * and step with its bytes, and nothing counted when it is unset; SparkMl.deleteSoon sends tuning's deletes in batches.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, toJson } from "@bufbuild/protobuf";
import { makeVector, Table, tableToIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { ExecutePlanResponseSchema, PlanSchema } from "../../src/engines/spark-connect/gen/spark/connect/base_pb.js";
import { SparkConnectClient } from "../../src/engines/spark-connect/transport/client.js";
import { DELETE_BATCH, SparkMl } from "../../src/engines/spark-connect/transport/ml.js";
import { localRelation } from "../../src/engines/spark-connect/transport/plan.js";
import { parseRemoteUrl } from "../../src/engines/spark-connect/transport/remote-url.js";
import { PROFILE_ENV, rpcProfile, type RpcProfileFile } from "../../src/engines/spark-connect/transport/rpc-profile.js";
import { startFakeServer } from "./fake-server.js";

const dir = mkdtempSync(join(tmpdir(), "recpipe-rpc-profile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the Spark Connect RPC profile", () => {
  it("is off unless RECPIPE_CONNECT_PROFILE names a file", () => {
    expect(rpcProfile({})).toBeUndefined();
    expect(rpcProfile({ [PROFILE_ENV]: "" })).toBeUndefined();
  });

  it("counts each request by RPC, kind and step, with its bytes; trials' deletes go out a batch at a time", async () => {
    const file = join(dir, "profile.json");
    process.env[PROFILE_ENV] = file;
    let n = 0;
    const fake = await startFakeServer("4.0.5", (r) => {
      const cmd = r.plan?.opType.case === "command" && r.plan.opType.value.commandType.case === "mlCommand" ? r.plan.opType.value.commandType.value : undefined;
      if (cmd?.command.case !== "fit") return [];
      const id = `model-${n++}`;
      return [
        create(ExecutePlanResponseSchema, {
          responseType: { case: "mlCommandResult", value: { resultType: { case: "operatorInfo", value: { type: { case: "objRef", value: { id } } } } } },
        }),
      ];
    });
    try {
      const client = await SparkConnectClient.connect(parseRemoteUrl(fake.url, {}), "test");
      const ml = new SparkMl(client);
      const data = localRelation(tableToIPC(new Table({ u: makeVector(new Int32Array([1, 2, 3])) }), "stream"));
      const op = { className: "org.apache.spark.ml.recommendation.ALS", uid: "als_0123456789ab", params: [{ name: "rank", value: 8, type: "int" as const }] };
      const trials = DELETE_BATCH + 1;
      for (let t = 0; t < trials; t++) ml.deleteSoon([await ml.fit(op, data, `fitting als for fold ${t}`)]);
      // The first DELETE_BATCH models went out in one Delete; the last waits for releaseAll.
      await new Promise((r) => setTimeout(r, 50));
      const deletes = () =>
        fake.requests.flatMap((r) => {
          const j = toJson(PlanSchema, r.plan!) as { command?: { mlCommand?: { delete?: { objRefs: { id: string }[] } } } };
          return j.command?.mlCommand?.delete ? [j.command.mlCommand.delete.objRefs.map((o) => o.id)] : [];
        });
      expect(deletes()).toEqual([Array.from({ length: DELETE_BATCH }, (_, i) => `model-${i}`)]);
      expect(ml.liveModels).toBe(1);
      await ml.releaseAll();
      expect(deletes()).toEqual([Array.from({ length: DELETE_BATCH }, (_, i) => `model-${i}`), [`model-${DELETE_BATCH}`]]);
      await client.releaseSession();
      client.close();

      rpcProfile()!.write();
      const p = JSON.parse(readFileSync(file, "utf8")) as RpcProfileFile;
      const row = (rpc: string, kind: string) => p.rpcs.find((t) => t.rpc === rpc && t.kind === kind);
      expect(row("AnalyzePlan", "sparkVersion")?.count).toBe(1);
      expect(row("ReleaseSession", "session")?.count).toBe(1);
      const fits = row("ExecutePlan", "ml fit")!;
      expect(fits.count).toBe(trials);
      // Each Fit carries the inline data; each answer the model reference.
      expect(fits.requestBytes).toBeGreaterThan(trials * 100);
      expect(fits.responseBytes).toBeGreaterThan(trials * 7);
      expect(fits.wallMs).toBeGreaterThanOrEqual(0);
      expect(row("ExecutePlan", "ml delete")?.count).toBe(2);
      expect(p.steps.find((t) => t.kind === "fitting als for fold #")?.count).toBe(trials);
      // The batched Delete was sent off the trials' path: it ran beside the next Fit.
      expect(p.maxExecuteInFlight).toBe(2);
      expect(p.maxExecuteInFlightSteps.sort()).toEqual(["deleting server-side models", "fitting als for fold #"]);
      expect(p.spanMs).toBeGreaterThanOrEqual(0);
    } finally {
      delete process.env[PROFILE_ENV];
      await fake.close();
    }
  });
});
