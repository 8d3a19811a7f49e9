/**
 * A fake Spark Connect server on a loopback port (grpc-js, the generated messages): answers AnalyzePlan with a chosen
 * Spark version and records every ExecutePlan request, answering each with `answer(request)`. It tests request shapes
 * and answer decoding, never Spark's behaviour: the real servers (spark-servers.global.ts) do that.
 */
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import {
  AnalyzePlanRequestSchema,
  AnalyzePlanResponseSchema,
  ExecutePlanRequestSchema,
  ExecutePlanResponseSchema,
  ReleaseSessionRequestSchema,
  ReleaseSessionResponseSchema,
  type ExecutePlanRequest,
  type ExecutePlanResponse,
} from "../../src/engines/spark-connect/gen/spark/connect/base_pb.js";

function method<Req extends DescMessage, Res extends DescMessage>(name: string, req: Req, res: Res, responseStream: boolean) {
  return {
    path: `/spark.connect.SparkConnectService/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: (m: MessageShape<Req>) => Buffer.from(toBinary(req, m)),
    requestDeserialize: (b: Buffer) => fromBinary(req, new Uint8Array(b)),
    responseSerialize: (m: MessageShape<Res>) => Buffer.from(toBinary(res, m)),
    responseDeserialize: (b: Buffer) => fromBinary(res, new Uint8Array(b)),
  };
}

export interface FakeServer {
  url: string;
  requests: ExecutePlanRequest[];
  /** The gRPC metadata (headers) each ExecutePlan request came with. */
  headers: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startFakeServer(sparkVersion: string, answer: (r: ExecutePlanRequest) => ExecutePlanResponse[] | grpc.ServiceError): Promise<FakeServer> {
  const server = new grpc.Server();
  const requests: ExecutePlanRequest[] = [];
  const headers: Record<string, unknown>[] = [];
  server.addService(
    {
      AnalyzePlan: method("AnalyzePlan", AnalyzePlanRequestSchema, AnalyzePlanResponseSchema, false),
      ExecutePlan: method("ExecutePlan", ExecutePlanRequestSchema, ExecutePlanResponseSchema, true),
      ReleaseSession: method("ReleaseSession", ReleaseSessionRequestSchema, ReleaseSessionResponseSchema, false),
    },
    {
      AnalyzePlan: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) =>
        cb(null, create(AnalyzePlanResponseSchema, { result: { case: "sparkVersion", value: { version: sparkVersion } } })),
      ExecutePlan: (call: grpc.ServerWritableStream<ExecutePlanRequest, ExecutePlanResponse>) => {
        requests.push(call.request);
        headers.push(call.metadata.getMap());
        const a = answer(call.request);
        if (!Array.isArray(a)) {
          call.emit("error", a);
          return;
        }
        for (const r of a) call.write(r);
        call.end();
      },
      ReleaseSession: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, create(ReleaseSessionResponseSchema, {})),
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { url: `sc://127.0.0.1:${port}`, requests, headers, close: () => new Promise((r) => server.tryShutdown(() => r())) };
}
