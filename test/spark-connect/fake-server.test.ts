/** Request shapes and answer decoding against a fake server (fake-server.ts), and servers below Spark 4.0. */
import { create, toJson } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { Metadata, status } from "@grpc/grpc-js";
import { makeVector, Table, tableToIPC } from "apache-arrow";
import { afterEach, describe, expect, it } from "vitest";
import { SparkConnectClient } from "../../src/engines/spark-connect/transport/client.js";
import { ExecutePlanResponseSchema, PlanSchema } from "../../src/engines/spark-connect/gen/spark/connect/base_pb.js";
import { SparkMl } from "../../src/engines/spark-connect/transport/ml.js";
import { localRelation } from "../../src/engines/spark-connect/transport/plan.js";
import { parseRemoteUrl } from "../../src/engines/spark-connect/transport/remote-url.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("Spark Connect client against a fake server", () => {
  it("refuses a server below Spark 4.0 with exit 2 and the version found", async () => {
    fake = await startFakeServer("3.5.8", () => []);
    const err = await SparkConnectClient.connect(parseRemoteUrl(fake.url, {}), "test").catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 2 });
    expect(String((err as Error).message)).toBe(
      `Spark Connect server ${fake.url} runs Spark 3.5.8; recpipe needs Spark 4.0 or later (ML over Spark Connect arrived in 4.0)`,
    );
  });

  it("sends Fit as PySpark does: the JVM class, uid, typed params (arrays with element types), the dataset", async () => {
    fake = await startFakeServer("4.0.5", () => [
      create(ExecutePlanResponseSchema, {
        responseType: { case: "mlCommandResult", value: { resultType: { case: "operatorInfo", value: { type: { case: "objRef", value: { id: "ref-1" } } } } } },
      }),
    ]);
    const client = await SparkConnectClient.connect(parseRemoteUrl(fake.url, {}), "test");
    const ml = new SparkMl(client);
    const data = localRelation(tableToIPC(new Table({ u: makeVector(new Int32Array([1])) }), "stream"));
    const ref = await ml.fit(
      {
        className: "org.apache.spark.ml.feature.StringIndexer",
        uid: "strIdx_0123456789ab",
        params: [
          { name: "inputCols", value: ["u"], type: "string[]" },
          { name: "handleInvalid", value: "keep", type: "string" },
          { name: "seed", value: 7, type: "long" },
          { name: "regParam", value: 0.1, type: "double" },
        ],
      },
      data,
      "fitting",
    );
    expect(ref).toEqual({ id: "ref-1", className: "org.apache.spark.ml.feature.StringIndexerModel" });
    expect(ml.liveModels).toBe(1);
    const sent = toJson(PlanSchema, fake.requests[0].plan!) as { command: { mlCommand: { fit: Record<string, unknown> } } };
    const fit = sent.command.mlCommand.fit;
    expect(fit.estimator).toEqual({ name: "org.apache.spark.ml.feature.StringIndexer", uid: "strIdx_0123456789ab", type: "OPERATOR_TYPE_ESTIMATOR" });
    expect(fit.params).toEqual({
      params: {
        inputCols: { array: { elementType: { string: {} }, elements: [{ string: "u" }] } },
        handleInvalid: { string: "keep" },
        seed: { long: "7" },
        regParam: { double: 0.1 },
      },
    });
    expect(Object.keys(fit.dataset as object)).toEqual(["common", "localRelation"]);
    expect(fake.requests[0].clientType).toBe("test");
    await ml.releaseAll();
    const del = toJson(PlanSchema, fake.requests[1].plan!) as { command: { mlCommand: { delete: unknown } } };
    expect(del.command.mlCommand.delete).toEqual({ objRefs: [{ id: "ref-1" }] });
    client.close();
  });

  it("turns Spark's error details into one line with the error class; analysis errors are exit 2, others exit 1", async () => {
    const errorWith = (errorClass: string, exception: string, message: string) => {
      const md = new Metadata();
      // google.rpc.Status { code=13, message, details=[Any{ type_url=ErrorInfo, value=ErrorInfo{reason, domain, metadata{errorClass}} }] }
      const entry = new BinaryWriter()
        .uint32((1 << 3) | 2)
        .string("errorClass")
        .uint32((2 << 3) | 2)
        .string(errorClass)
        .finish();
      const info = new BinaryWriter()
        .uint32((1 << 3) | 2)
        .string(exception)
        .uint32((2 << 3) | 2)
        .string("org.apache.spark")
        .uint32((3 << 3) | 2)
        .bytes(entry)
        .finish();
      const any = new BinaryWriter()
        .uint32((1 << 3) | 2)
        .string("type.googleapis.com/google.rpc.ErrorInfo")
        .uint32((2 << 3) | 2)
        .bytes(info)
        .finish();
      const statusBytes = new BinaryWriter()
        .uint32((3 << 3) | 2)
        .bytes(any)
        .finish();
      md.set("grpc-status-details-bin", Buffer.from(statusBytes));
      return Object.assign(new Error(message), { code: status.INTERNAL, details: message, metadata: md });
    };
    let next = errorWith(
      "UNRESOLVED_COLUMN.WITH_SUGGESTION",
      "org.apache.spark.sql.AnalysisException",
      "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column `usr` cannot be resolved.\nplan...",
    );
    fake = await startFakeServer("4.0.5", () => next);
    const client = await SparkConnectClient.connect(parseRemoteUrl(fake.url, {}), "test");
    const ml = new SparkMl(client);
    const data = localRelation(tableToIPC(new Table({ u: makeVector(new Int32Array([1])) }), "stream"));
    const op = { className: "org.apache.spark.ml.recommendation.ALS", uid: "als_1", params: [] };
    const e1 = (await ml.fit(op, data, "fitting als").then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { exitCode: number };
    expect(e1.exitCode).toBe(2);
    expect(e1.message).toBe("Spark error while fitting als [UNRESOLVED_COLUMN.WITH_SUGGESTION, AnalysisException]: A column `usr` cannot be resolved.");
    next = errorWith("INTERNAL_ERROR", "org.apache.spark.SparkException", "Job aborted due to stage failure: executor lost");
    const e2 = (await ml.fit(op, data, "fitting als").then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { exitCode: number };
    expect(e2.exitCode).toBe(1);
    expect(e2.message).toMatch(
      /^Spark error while fitting als \[INTERNAL_ERROR, SparkException\]: Job aborted due to stage failure: executor lost \(server sc:/,
    );
    client.close();
  });
});
