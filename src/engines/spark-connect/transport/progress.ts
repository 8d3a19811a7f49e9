import type { ProgressSink, ProgressTask } from "../../../core/run-context.js";
import type { ProgressListener } from "./client.js";

/**
 * Turns the server's ExecutionProgress messages for one request into a progress bar of Spark tasks: total = tasks of
 * the stages seen so far, done = their completed tasks. The bar appears only once the server reports work.
 */
export function sparkProgress(sink: ProgressSink): (label: string) => ProgressListener {
  return (label) => {
    let bar: ProgressTask | undefined;
    let total = 0;
    const stages = new Map<bigint, { tasks: number; done: number }>();
    return (p) => {
      if (p === "end" || p === "failed") {
        bar?.done(p === "failed");
        bar = undefined;
        return;
      }
      for (const s of p.stages) stages.set(s.stageId, { tasks: Number(s.numTasks), done: Number(s.numCompletedTasks) });
      let t = 0,
        d = 0;
      for (const s of stages.values()) {
        t += s.tasks;
        d += s.done;
      }
      if (t === 0) return;
      if (!bar || t !== total) {
        bar?.done();
        total = t;
        bar = sink.start(`${label} (Spark)`, total, "tasks");
      }
      bar.tick(d);
    };
  };
}
