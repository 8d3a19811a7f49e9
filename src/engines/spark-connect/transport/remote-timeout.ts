import { InputError } from "../../../core/errors.js";
import { DEFAULT_REMOTE_TIMEOUT_S, type ConnectOptions } from "./client.js";

/**
 * `--remote-timeout SECONDS`: how long a request may go without a word from the server (client.ts
 * DEFAULT_REMOTE_TIMEOUT_S says why 300 by default); 0 waits forever, as PySpark's client does.
 */
export function parseRemoteTimeout(value: string): number {
  const s = Number(value);
  if (value.trim() === "" || !Number.isFinite(s) || s < 0) {
    throw new InputError("E_ARGS", `--remote-timeout: expected a number of seconds >= 0 (0: no limit; default ${DEFAULT_REMOTE_TIMEOUT_S}); got "${value}"`);
  }
  return s;
}

export function remoteTimeoutOption(seconds: number | undefined): ConnectOptions {
  return seconds === undefined ? {} : { timeoutMs: Math.round(seconds * 1000) };
}
