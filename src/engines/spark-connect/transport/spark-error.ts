import type { Metadata, ServiceError } from "@grpc/grpc-js";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { InputError, RecpipeError } from "../../../core/errors.js";
import { ServerLostError } from "./server-lost.js";

/** What Spark says about a failed request: its error class (e.g. UNRESOLVED_COLUMN.WITH_SUGGESTION), JVM class, text. */
export interface SparkErrorInfo {
  errorClass?: string;
  exceptionClass?: string;
  message: string;
}

/**
 * Java exceptions that mean "your request (data, column, param) is wrong", not "the cluster broke": they become exit
 * 2. Everything else Spark throws (lost executors, out of memory, bugs) is exit 1.
 */
const INPUT_EXCEPTIONS = [
  "org.apache.spark.sql.AnalysisException",
  "org.apache.spark.sql.catalyst.ExtendedAnalysisException",
  "org.apache.spark.sql.catalyst.parser.ParseException",
  "java.lang.IllegalArgumentException",
  "org.apache.spark.SparkIllegalArgumentException",
  "java.lang.NumberFormatException",
  // Spark 4's ANSI mode: a value that does not fit its column type (e.g. an id beyond Java's int range for ALS).
  "org.apache.spark.SparkArithmeticException",
  "org.apache.spark.SparkDateTimeException",
  "org.apache.spark.SparkNumberFormatException",
  "org.apache.spark.SparkFileNotFoundException",
  "java.io.FileNotFoundException",
  "org.apache.spark.sql.connect.common.InvalidPlanInput",
  "org.apache.spark.sql.connect.common.InvalidCommandInput",
  "org.apache.spark.ml.util.MlUnsupportedException",
  "org.apache.spark.SparkException.MlUnsupported",
];

/** Reads google.rpc.Status from `grpc-status-details-bin`: Spark puts its ErrorInfo (reason, errorClass) there. */
export function sparkErrorInfo(err: ServiceError): SparkErrorInfo {
  const info: SparkErrorInfo = { message: err.details || err.message };
  const bin = (err.metadata as Metadata | undefined)?.get("grpc-status-details-bin")?.[0];
  if (bin instanceof Buffer) {
    try {
      for (const any of statusDetails(new Uint8Array(bin))) {
        if (!any.typeUrl.endsWith("google.rpc.ErrorInfo")) continue;
        const e = errorInfo(any.value);
        info.exceptionClass = e.reason || undefined;
        info.errorClass = e.metadata.get("errorClass") || undefined;
      }
    } catch {
      // Details are a courtesy: a status we cannot decode still has its message.
    }
  }
  // Spark 4 messages usually start with "[ERROR_CLASS] "; keep the class once, in front.
  const lead = /^\[([A-Z0-9_.]+)\]\s*/.exec(info.message);
  if (lead) {
    info.errorClass ??= lead[1];
    info.message = info.message.slice(lead[0].length);
  }
  return info;
}

/**
 * One readable line for a failed Spark request, as an error with the right exit code: the server refusing the request
 * (bad column, param, path) is the user's input (exit 2); anything else is a failure (exit 1).
 */
export function sparkRequestError(err: ServiceError, what: string, url: string): RecpipeError {
  // The connection broke or a deadline passed after the session was open: the server went, not the user's input.
  // (A server unreachable before the run starts is exit 2, from SparkConnectClient.connect.)
  if (err.code === GrpcStatus.UNAVAILABLE || err.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return new ServerLostError(url, what, err.details || err.message);
  }
  if (err.code === GrpcStatus.UNAUTHENTICATED || err.code === GrpcStatus.PERMISSION_DENIED) {
    return new InputError(
      "E_ARGS",
      `Spark Connect server ${url} refused the credentials while ${what}: ${err.details || err.message}; set the token with ;token=... in the URL or SPARK_CONNECT_AUTHENTICATE_TOKEN`,
    );
  }
  if (err.code === GrpcStatus.CANCELLED) return new RecpipeError("E_INTERRUPTED", `${what} was cancelled`, 1);
  const info = sparkErrorInfo(err);
  const firstLine =
    info.message
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? "(no message)";
  const label = [info.errorClass, info.exceptionClass?.split(".").pop()].filter(Boolean).join(", ");
  const text = `Spark error while ${what}${label ? ` [${label}]` : ""}: ${firstLine}`;
  const input = info.exceptionClass !== undefined && INPUT_EXCEPTIONS.includes(info.exceptionClass);
  return input ? new InputError("E_DATA", text) : new RecpipeError("E_INTERNAL", `${text} (server ${url})`, 1);
}

function statusDetails(bytes: Uint8Array): { typeUrl: string; value: Uint8Array }[] {
  const r = new BinaryReader(bytes);
  const out: { typeUrl: string; value: Uint8Array }[] = [];
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    if (field === 3) {
      const a = new BinaryReader(r.bytes());
      let typeUrl = "";
      let value: Uint8Array = new Uint8Array();
      while (a.pos < a.len) {
        const [f, w] = a.tag();
        if (f === 1) typeUrl = a.string();
        else if (f === 2) value = a.bytes();
        else a.skip(w);
      }
      out.push({ typeUrl, value });
    } else r.skip(wire);
  }
  return out;
}

function errorInfo(bytes: Uint8Array): { reason: string; metadata: Map<string, string> } {
  const r = new BinaryReader(bytes);
  let reason = "";
  const metadata = new Map<string, string>();
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    if (field === 1) reason = r.string();
    else if (field === 3) {
      const e = new BinaryReader(r.bytes());
      let k = "",
        v = "";
      while (e.pos < e.len) {
        const [f, w] = e.tag();
        if (f === 1) k = e.string();
        else if (f === 2) v = e.string();
        else e.skip(w);
      }
      metadata.set(k, v);
    } else r.skip(wire);
  }
  return { reason, metadata };
}
