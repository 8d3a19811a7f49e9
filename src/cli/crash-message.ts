/** What the user can do about a run that needs more memory than the machine gives it. */
export const MEMORY_ADVICE =
  "use fewer ratings (a sample, or a smaller synthetic source), a lower ALS rank, fewer recommendations, a machine with more memory, " +
  "or run the pipeline on a Spark cluster (--remote sc://HOST:PORT)";

/** V8 and wasm messages that mean memory ran out (printed by V8 itself just before it aborts). */
const OUT_OF_MEMORY = [
  /JavaScript heap out of memory/i,
  /Reached heap limit/i,
  /invalid size error/i,
  /invalid array length/i,
  /Array buffer allocation failed/i,
  /WebAssembly\.Memory/i,
  /Out of memory/i,
  /allocation failed/i,
];

export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** A signal this process passed on to the child (the user pressed Ctrl-C, say). */
  forwarded?: NodeJS.Signals;
  stderrTail: string;
}

/** One readable paragraph for a child process that ended other than by exit 0, 1 or 2. */
export function crashMessage(end: ChildEnd): string {
  const how = end.signal ? `signal ${end.signal}` : `exit code ${end.code}`;
  if (end.forwarded && (end.signal === end.forwarded || end.signal === null)) {
    return `recpipe: interrupted (${end.forwarded}); the run stopped before finishing and left no run directory\n`;
  }
  const v8Line = lastFatalLine(end.stderrTail);
  if (OUT_OF_MEMORY.some((re) => re.test(end.stderrTail))) {
    return `recpipe: out of memory: the run stopped (${how}${v8Line ? `; ${v8Line}` : ""}). It needs more memory than this process could get: ${MEMORY_ADVICE}.\n`;
  }
  if (end.signal === "SIGKILL") {
    return `recpipe: the run was killed (${how}), most likely by the operating system because the machine ran out of memory: ${MEMORY_ADVICE}.\n`;
  }
  return `recpipe: internal error: the run stopped unexpectedly (${how}${v8Line ? `; ${v8Line}` : ""}); set RECPIPE_DEBUG=1 and please report it\n`;
}

/** The line V8 prints for a fatal error ("FATAL ERROR: ...", "Fatal JavaScript ..."), if any. */
function lastFatalLine(tail: string): string | undefined {
  // V8's own summary line, not the native stack frames printed after it (which also name "OutOfMemory").
  const lines = tail
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^(#\s*)?(FATAL ERROR:|Fatal JavaScript|Fatal error in (?!,))/i.test(l));
  const line = lines.at(-1);
  return line ? line.replace(/^#\s*/, "").slice(0, 200) : undefined;
}
