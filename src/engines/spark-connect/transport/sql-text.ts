/** A Spark SQL identifier, backquoted (column names from the pipeline file may hold any character). */
export function ident(name: string): string {
  return "`" + name.replace(/`/g, "``") + "`";
}

/** A number as a Spark SQL literal that keeps its value (doubles with an exponent, integers as they are). */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  return Number.isInteger(x) ? String(x) : `${x.toExponential()}D`;
}
