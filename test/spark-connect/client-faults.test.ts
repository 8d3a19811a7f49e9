/**
 * The client's side of faults and URL headers, against the fake server (fake-server.ts): extra URL parameters go out
 * as gRPC headers beside the bearer token; a request that hears nothing hits the idle limit; a lost connection is a
 * ServerLostError (exit 1, never an input error a tuning trial would absorb), and every later request fails at once.
 */
import { create } from "@bufbuild/protobuf";
import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { isInputError } from "../../src/core/errors.js";
import { SparkConnectClient } from "../../src/engines/spark-connect/transport/client.js";
import { PlanSchema } from "../../src/engines/spark-connect/gen/spark/connect/base_pb.js";
import { parseRemoteUrl } from "../../src/engines/spark-connect/transport/remote-url.js";
import { ServerLostError } from "../../src/engines/spark-connect/transport/server-lost.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";
import { tcpProxy, type Proxy } from "./tcp-proxy.js";

let fake: FakeServer | undefined;
let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await fake?.close();
  fake = proxy = undefined;
});
const plan = () => create(PlanSchema, { opType: { case: "root", value: { relType: { case: "sql", value: { query: "SELECT 1" } } } } });

describe("Spark Connect client faults and headers", () => {
  it("sends ;x-databricks-cluster-id=... as a gRPC header with the bearer token", async () => {
    fake = await startFakeServer("4.0.5", () => []);
    const client = await SparkConnectClient.connect(parseRemoteUrl(`${fake.url}/;token=tok;x-databricks-cluster-id=0123-456789-abcdef`, {}), "test");
    await client.execute(plan(), "running a query");
    client.close();
    expect(fake.headers[0]).toMatchObject({ "x-databricks-cluster-id": "0123-456789-abcdef", authorization: "Bearer tok" });
  });

  it("a connection that stops passing bytes hits the idle limit: ServerLostError (exit 1) naming the request and the limit", async () => {
    fake = await startFakeServer("4.0.5", () => []);
    proxy = await tcpProxy(Number(fake.url.split(":").pop()));
    const url = `sc://127.0.0.1:${proxy.port}`;
    const client = await SparkConnectClient.connect(parseRemoteUrl(url, {}), "test", { timeoutMs: 800 });
    proxy.stall();
    const t0 = Date.now();
    const [a, b] = await Promise.all([
      client.execute(plan(), "fitting als").catch((e: unknown) => e),
      client.execute(plan(), "scoring fold 1").catch((e: unknown) => e),
    ]);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(a).toBeInstanceOf(ServerLostError);
    expect(isInputError(a)).toBe(false);
    expect((a as ServerLostError).exitCode).toBe(1);
    // The second request in flight fails with the same loss as soon as the first gives up.
    expect(b).toBe(a);
    expect((a as Error).message).toMatch(
      new RegExp(
        `^Spark Connect server ${url.replace(/[./]/g, "\\$&")} was lost while (fitting als|scoring fold 1) \\(it stopped answering: nothing for 0\\.8 s, the --remote-timeout\\)`,
      ),
    );
    expect((a as ServerLostError).inPhase("tune").message).toMatch(/was lost during tune while/);
    // Later requests fail at once, and the cleanup does not wait on the stalled server.
    await expect(client.execute(plan(), "again")).rejects.toBe(a);
    const t1 = Date.now();
    await client.releaseSession();
    await client.interruptAll();
    expect(Date.now() - t1).toBeLessThan(200);
    client.close();
  });

  it("UNAVAILABLE from the transport is a lost server (exit 1), not an input error", async () => {
    const unavailable = Object.assign(new Error("gone"), { code: status.UNAVAILABLE, details: "Connection dropped", metadata: new Metadata() }) as ServiceError;
    fake = await startFakeServer("4.0.5", () => unavailable);
    const client = await SparkConnectClient.connect(parseRemoteUrl(fake.url, {}), "test");
    const e = await client.execute(plan(), "fitting als (ALS) for fold 1").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServerLostError);
    expect((e as Error).message).toMatch(/was lost while fitting als \(ALS\) for fold 1 \(Connection dropped\)/);
    expect(client.serverLost).toBe(true);
    client.close();
  });
});
