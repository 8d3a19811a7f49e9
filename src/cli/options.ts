import { InvalidArgumentError } from "commander";

/** Repeatable option values (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** An option value that must be an integer >= 1 (`--workers`, `-k`); commander turns the error into exit 2. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected an integer >= 1; got "${value}"`);
  return n;
}

/** `--allow-plugins`, or RECPIPE_ALLOW_PLUGINS=1 for scripts and CI that always run their own plugins. */
export const ALLOW_PLUGINS_FLAG = "--allow-plugins";
export const ALLOW_PLUGINS_HELP = "run the plugin modules the pipeline file names (arbitrary code; also RECPIPE_ALLOW_PLUGINS=1)";
export function pluginsAllowed(o: { allowPlugins?: boolean }): boolean {
  return o.allowPlugins === true || process.env.RECPIPE_ALLOW_PLUGINS === "1";
}
