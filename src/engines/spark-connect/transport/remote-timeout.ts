import { InputError } from "../../../core/errors.js";

/**
 * `--remote-timeout` default, in seconds: how long recpipe waits while hearing nothing from the server on a request
 * (an idle limit, not a limit on the request's length). A running Spark job reports its progress every couple of
 * seconds and every finished task counts, so five silent minutes mean a stalled connection or a stopped server,
 * except for one task that runs longer than that alone: raise the limit for such jobs, or give 0 for none.
 */
export const DEFAULT_REMOTE_TIMEOUT_S = 300;

/**
 * `--remote-timeout SECONDS`: how long a request may go without a word from the server (DEFAULT_REMOTE_TIMEOUT_S
 * above says why 300 by default); 0 waits forever, as PySpark's client does.
 */
export function parseRemoteTimeout(value: string): number {
  const s = Number(value);
  if (value.trim() === "" || !Number.isFinite(s) || s < 0) {
    throw new InputError("E_ARGS", `--remote-timeout: expected a number of seconds >= 0 (0: no limit; default ${DEFAULT_REMOTE_TIMEOUT_S}); got "${value}"`);
  }
  return s;
}

/** The client's ConnectOptions for a --remote-timeout (this file stays free of the client, which loads gRPC). */
export function remoteTimeoutOption(seconds: number | undefined): { timeoutMs?: number } {
  return seconds === undefined ? {} : { timeoutMs: Math.round(seconds * 1000) };
}
