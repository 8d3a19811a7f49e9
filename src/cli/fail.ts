import { isInputError, RecpipeError } from "../core/errors.js";
import { MEMORY_ADVICE } from "./crash-message.js";

/** JavaScript-visible allocation failures: a typed array, ArrayBuffer or wasm memory the engine could not provide. */
const ALLOCATION_FAILED =
  /Array buffer allocation failed|Invalid typed array length|Invalid array buffer length|WebAssembly\.Memory|could not allocate memory|Out of memory/i;

/**
 * Turns an error into the exit code the CLI promises (README, "Exit codes"): 2 for invalid input (message only, no stack unless
 * RECPIPE_DEBUG=1), 1 for internal failures.
 */
export function reportError(e: unknown): number {
  const debug = process.env.RECPIPE_DEBUG === "1";
  if (isInputError(e)) {
    process.stderr.write(`recpipe: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return 2;
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && ALLOCATION_FAILED.test(msg)) {
    process.stderr.write(`recpipe: out of memory: ${msg}. The run needs more memory than this process could get: ${MEMORY_ADVICE}.\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
  // A server lost mid-run is a failure (exit 1) but not recpipe's bug: its message alone, without the bug-report hint.
  if (e instanceof RecpipeError && e.code === "E_SERVER_LOST") {
    process.stderr.write(`recpipe: ${msg}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
  process.stderr.write(`recpipe: internal error${e instanceof RecpipeError ? ` (${e.code})` : ""}: ${msg}\n`);
  if (e instanceof Error && e.stack) process.stderr.write(debug ? `${e.stack}\n` : "(set RECPIPE_DEBUG=1 for the stack trace; please report it)\n");
  return 1;
}
