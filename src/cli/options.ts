import { InvalidArgumentError } from "commander";

/** Repeatable option values (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected an integer >= 1; got "${value}"`);
  return n;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected an integer >= 1; got "${value}"`);
  return n;
}
