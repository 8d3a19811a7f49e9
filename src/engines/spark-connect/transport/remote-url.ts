import { InputError, suggest } from "../../../core/errors.js";

/** A parsed Spark Connect connection string: `sc://HOST[:PORT][/;key=value;...]`, as PySpark reads `--remote`. */
export interface RemoteUrl {
  host: string;
  port: number;
  useSsl: boolean;
  /** From `;token=` or SPARK_CONNECT_AUTHENTICATE_TOKEN. Never printed, never written to a run directory. */
  token?: string;
  userId?: string;
  /** `;session_id=UUID`: join that session instead of starting a new one (as PySpark's connection string). */
  sessionId?: string;
  /**
   * Every other `;key=value` (e.g. Databricks' `x-databricks-cluster-id`), sent as a gRPC metadata header on every
   * request, as PySpark's ChannelBuilder.metadata() does.
   */
  headers: [string, string][];
  /** The URL as the user gave it, with any token replaced by `***`: what messages and the manifest show. */
  display: string;
}

/** Spark Connect's default port (Spark's `spark.connect.grpc.binding.port`). */
export const DEFAULT_PORT = 15002;
const KNOWN_PARAMS = ["token", "use_ssl", "user_id", "user_agent", "session_id", "grpc_max_message_size"];
/** Headers gRPC or recpipe sets itself: a URL parameter may not replace them. */
const RESERVED_HEADERS = ["authorization", "content-type", "te", "user-agent", "host"];

/** The URL with its token hidden, safe to print even when the URL is malformed. */
export function redactUrl(url: string): string {
  return url.replace(/(;\s*token=)[^;]*/gi, "$1***");
}

/**
 * Parses a `--remote` URL (or SPARK_REMOTE), as PySpark's ChannelBuilder reads it: a token turns TLS on for any host
 * but loopback; other `;key=value` parameters become gRPC headers.
 */
export function parseRemoteUrl(url: string, env: NodeJS.ProcessEnv = process.env, where = "--remote"): RemoteUrl {
  const display = redactUrl(url);
  const bad = (why: string) => new InputError("E_ARGS", `${where}: ${why}; got "${display}" (expected sc://HOST[:PORT][/;token=...;use_ssl=true])`);
  const m = /^sc:\/\/(\[[^\]]+\]|[^/:;]+)(?::(\d+))?(?:\/(.*))?$/.exec(url.trim());
  if (!m) throw bad("not a Spark Connect URL");
  const host = m[1].startsWith("[") ? m[1].slice(1, -1) : m[1];
  const port = m[2] === undefined ? DEFAULT_PORT : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`port must be 1-65535`);
  const params = new Map<string, string>();
  for (const part of (m[3] ?? "").split(";")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq < 0) throw bad(`parameter "${part.split("=")[0]}" has no value`);
    const key = part.slice(0, eq).trim();
    if (!KNOWN_PARAMS.includes(key)) {
      // Unknown keys become headers (PySpark's rule), except near-misses of a known key: ";tokn=..." sent as a header
      // would leave the run without its token, so it is refused with the key it probably meant.
      const near = suggest(key, KNOWN_PARAMS);
      if (near) throw bad(`unknown parameter "${key}" (did you mean ${near}? known: ${KNOWN_PARAMS.join(", ")}; other keys are sent as gRPC headers)`);
      if (!/^[0-9a-z_.-]+$/.test(key) || key.endsWith("-bin") || key.startsWith("grpc-") || key.startsWith(":") || RESERVED_HEADERS.includes(key)) {
        throw bad(
          `parameter "${key}" cannot be sent as a gRPC header (a header name is lower-case letters, digits, "-", "_" and ".", not ending in -bin and not one gRPC sets itself)`,
        );
      }
    }
    params.set(key, decodeURIComponent(part.slice(eq + 1).trim()));
  }
  const headers = [...params].filter(([k]) => !KNOWN_PARAMS.includes(k));
  const ssl = params.get("use_ssl");
  if (ssl !== undefined && ssl !== "true" && ssl !== "false") throw bad(`use_ssl must be true or false`);
  const token = params.get("token") || env.SPARK_CONNECT_AUTHENTICATE_TOKEN || undefined;
  // PySpark's rule (ChannelBuilder.secure): a token means TLS unless the host is this machine, so a Databricks URL
  // (sc://HOST:443/;token=...;x-databricks-cluster-id=...) needs no use_ssl. Only an explicit use_ssl=false with a
  // token to another host is refused: a bearer token on an unencrypted connection can be read by anyone on the path.
  const useSsl = ssl === "true" || (ssl === undefined && !!token && !isLoopback(host));
  if (token && !useSsl && !isLoopback(host)) {
    throw new InputError(
      "E_ARGS",
      `${where}: refusing to send an authentication token over plain text to ${host}, which is not this machine; drop ;use_ssl=false (a token means TLS, as in PySpark) or connect through a loopback tunnel; URL "${display}"`,
    );
  }
  const sessionId = params.get("session_id");
  if (sessionId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sessionId)) throw bad(`session_id must be a UUID`);
  return { host, port, useSsl, token, userId: params.get("user_id"), sessionId, headers, display };
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
