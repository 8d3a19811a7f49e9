import { expect } from "vitest";
import { isInputError, type RecpipeError } from "../src/core/errors.js";

/** The message of the exit-2 error (InputError) that `p` rejects with; fails the test on success or another error. */
export async function inputError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(isInputError(e), String(e)).toBe(true);
    expect((e as RecpipeError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error("expected exit 2");
}
