import { isInputError, RecpipeError } from "../core/errors.js";

/**
 * Turns an error into the exit code SPEC.md promises: 2 for invalid input (message only, no stack unless
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
  process.stderr.write(`recpipe: internal error${e instanceof RecpipeError ? ` (${e.code})` : ""}: ${msg}\n`);
  if (e instanceof Error && e.stack) process.stderr.write(debug ? `${e.stack}\n` : "(set RECPIPE_DEBUG=1 for the stack trace; please report it)\n");
  return 1;
}
