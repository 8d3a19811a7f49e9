import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full garbage collection, on request, for the few places where a phase drops a table of hundreds of megabytes at
 * once (each prepare step replaces its input). V8 frees a typed array's memory only when its own heuristics next
 * collect, which can be several tables later: the next step's allocations then pile on top of tables nobody holds,
 * and the run's peak memory counts them all. A collection costs a few milliseconds; recpipe's heap holds few objects.
 *
 * `--expose-gc` set at run time makes `gc` visible to contexts created after it (node:vm), not to this one.
 */
let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (!gc) {
    // V8 otherwise frees dead typed arrays' memory on a background thread after the collection returns, so the
    // allocation that follows (the reason to collect) can still land on top of it.
    setFlagsFromString("--no-concurrent-array-buffer-sweeping");
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}
