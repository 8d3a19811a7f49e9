import { isAbsolute, relative } from "node:path";

/**
 * A path as messages show it: relative to the working directory when it lies inside it (short and clickable),
 * absolute otherwise (a chain of "../../.." says less than the real location).
 */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  if (rel === "") return ".";
  return rel.startsWith("..") || isAbsolute(rel) ? p : rel;
}
