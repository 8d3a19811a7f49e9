import { InputError } from "../core/errors.js";

/**
 * File-system errors that mean "this place cannot take the bytes" (full disk, quota, file-size limit, read-only or
 * forbidden folder): the user's environment, reported as exit 2 naming the path, not as an internal failure.
 */
const ENVIRONMENT_CODES = new Set(["ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "ENOTDIR", "EEXIST", "EISDIR", "ENAMETOOLONG"]);

export function isEnvironmentWriteError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && ENVIRONMENT_CODES.has((e as NodeJS.ErrnoException).code!);
}

/** `ENOSPC: no space left on device` from Node's message (which ends with the syscall and the temp path). */
export function describeWriteError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  const m = /^([A-Z]+): ([^,]+)/.exec(e.message);
  return m ? `${m[1]}: ${m[2]}` : (code ?? e.message);
}

/** Wraps an environment write error as InputError("E_FILE") naming `what`; anything else is rethrown unchanged. */
export function asWriteInputError(e: unknown, what: string, consequence = ""): unknown {
  if (!isEnvironmentWriteError(e)) return e;
  return new InputError("E_FILE", `${what}: cannot write (${describeWriteError(e)})${consequence}`, { cause: e });
}
