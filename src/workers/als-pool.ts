/**
 * A pool of worker_threads that run ALS half-steps on one shared buffer (a shared WebAssembly.Memory for the
 * wasm engine, a SharedArrayBuffer for the js engine). Nothing is copied per half-step: the CSR arrays and
 * factors already live in that buffer, and a job message is a handful of numbers and strings.
 * With one worker the half-step runs on the calling thread instead (no thread start-up, same results).
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { GramBands, SolveRows } from "../kernels/als-half-step.js";
import { gramBandRange, mirrorUpperTriangle } from "../kernels/als-gram.js";
import { controlView, gramView, sideViews, type AlsLayout, type AlsSide } from "../kernels/als-layout.js";
import { combineObjective, objectiveTaskCount, OBJECTIVE_PARTIALS } from "../kernels/als-objective.js";
import type { AlsWasmMemory } from "../kernels/als-wasm.js";
import { sparkAlsInitialFactors } from "../kernels/spark-random.js";
import {
  runChunks,
  chunkStarts,
  fillSideCsr,
  type AlsCsrJob,
  type AlsHalfStepJob,
  type AlsInitJob,
  type AlsWorkerMessage,
  type AlsWorkerReply,
} from "./als-chunks.js";
import type { AlsWorkerData } from "./als-worker.js";
import { runGramShare, runObjectiveTasks, type AlsObjectiveJob } from "./als-sweep-jobs.js";

/** One memory of the ALS state (see planAlsSpaces): its layout, and the shared memory (wasm) or buffer (js). */
export interface AlsSpace {
  layout: AlsLayout;
  /** wasm engine: the shared memory (each worker instantiates its own copy of the module on it). */
  memory: AlsWasmMemory | null;
  /** js engine: the SharedArrayBuffer holding the layout (ignored for wasm). */
  buffer: SharedArrayBuffer | null;
}

export interface AlsPoolOptions {
  workers: number;
  engine: "wasm" | "js";
  spaces: AlsSpace[];
  /** Index into spaces of the memory that solves each side. */
  sideSpace: Record<AlsSide, number>;
  wasmBytes: Uint8Array | null;
  /** wasmBytes use relaxed SIMD (the FMA kernel): each worker makes sure V8 accepts it before compiling. */
  relaxedSimd?: boolean;
  /** The calling thread's kernels for each space, used when workers = 1 (scratch slot 0). */
  localKernels: Array<{ solveRows: SolveRows; gramBands: GramBands }>;
}

/**
 * Worker script next to this module: the compiled .js under dist/, or the .ts source when this module itself runs
 * as TypeScript (vitest, tsx). For the latter the worker needs tsx's loader hooks. `execArgv: ["--import", "tsx"]`
 * is not honoured by Node 20's worker threads ("Unknown file extension .ts"), so the worker starts from a tiny
 * ESM bootstrap (a data: URL) that registers tsx's hooks in the worker thread and then imports the .ts entry.
 */
function workerScript(): URL {
  const self = import.meta.url;
  if (!self.endsWith(".ts")) return new URL("./als-worker.js", self);
  // the ESM build of the api: the .cjs one resolves its hooks module relative to the wrong directory
  const tsxApi = pathToFileURL(
    createRequire(self)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./als-worker.ts", self).href;
  const code = `const api = await import(${JSON.stringify(tsxApi)}); (api.register ?? api.default.register)(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export class AlsPool {
  private readonly workers: Worker[] = [];
  private readonly buffers: ArrayBufferLike[];
  private objectiveScratch: { next: Int32Array; partials: Float64Array } | undefined;

  private constructor(private readonly o: AlsPoolOptions) {
    this.buffers = o.spaces.map((s) => (o.engine === "wasm" ? s.memory!.buffer : s.buffer!));
  }

  static async start(o: AlsPoolOptions): Promise<AlsPool> {
    const pool = new AlsPool(o);
    if (o.workers > 1) {
      const url = workerScript();
      for (let i = 0; i < o.workers; i++) {
        const data: AlsWorkerData = {
          engine: o.engine,
          spaces: o.spaces.map((s) => ({ layout: s.layout, memory: s.memory, buffer: o.engine === "js" ? s.buffer : null })),
          sideSpace: o.sideSpace,
          wasmBytes: o.wasmBytes,
          relaxedSimd: o.relaxedSimd ?? false,
          slot: 1 + i,
        };
        const w = new Worker(url, { workerData: data });
        pool.workers.push(w);
      }
    }
    return pool;
  }

  get threads(): number {
    return Math.max(1, this.workers.length);
  }

  /** Runs one half-step over all rows of job.side; resolves to -1 or the first row whose system failed. */
  async halfStep(job: AlsHalfStepJob): Promise<number> {
    const space = this.o.sideSpace[job.side];
    const layout = this.o.spaces[space].layout;
    const buffer = this.buffers[space];
    const control = controlView(buffer, layout);
    const rows = layout[job.side].rows;
    const chunks = chunkStarts(sideViews(buffer, layout, job.side).indptr, rows).length - 1;
    control.fill(-1, 1, 1 + chunks);
    Atomics.store(control, 0, 0);
    if (this.workers.length === 0) {
      runChunks(this.o.localKernels[space].solveRows, buffer, layout, job, 0);
    } else {
      await Promise.all(this.workers.map((w) => runOn(w, { type: "halfStep", ...job })));
    }
    for (let c = 0; c < chunks; c++) {
      const status = control[1 + c];
      if (status >= 0) return status;
    }
    return -1;
  }

  /**
   * YtY of `factorSide`'s factors into memory `space`'s Gram matrix: each thread sums its own bands of
   * rows (gramBandRange), then this thread mirrors the upper triangle. The same bits for any worker count.
   */
  async gram(space: number, factorSide: AlsSide): Promise<void> {
    const layout = this.o.spaces[space].layout;
    const buffer = this.buffers[space];
    const gram = gramView(buffer, layout);
    gram.fill(0);
    if (this.workers.length === 0) {
      runGramShare(this.o.localKernels[space].gramBands, buffer, layout, { space, factorSide, band: [0, layout.kp] });
    } else {
      const n = this.workers.length;
      await Promise.all(this.workers.map((w, i) => runOn(w, { type: "gram", space, factorSide, band: gramBandRange(layout.kp, n, i) })));
    }
    mirrorUpperTriangle(gram, layout.kp);
  }

  /**
   * The training objective (als-objective.ts) on the current factors, its fixed tasks shared by the threads; the
   * partials are summed here in task order, so the value does not depend on the worker count. Implicit reads the
   * items' YtY in the users' memory, as the user half-step left it.
   */
  async objective(job: Omit<AlsObjectiveJob, "next" | "partials">, regParam: number): Promise<number> {
    const space = this.o.sideSpace.user;
    const tasks = objectiveTaskCount(job.counts.user.length, job.counts.item.length);
    // allocated once per fit: the task count is fixed by the row counts
    if (this.objectiveScratch?.partials.length !== OBJECTIVE_PARTIALS * tasks) {
      this.objectiveScratch = {
        next: new Int32Array(new SharedArrayBuffer(4)),
        partials: new Float64Array(new SharedArrayBuffer(8 * OBJECTIVE_PARTIALS * tasks)),
      };
    }
    const full: AlsObjectiveJob = { ...job, ...this.objectiveScratch };
    Atomics.store(full.next, 0, 0);
    if (this.workers.length === 0) runObjectiveTasks(this.buffers[space], this.o.spaces[space].layout, full);
    else await Promise.all(this.workers.map((w) => runOn(w, { type: "objective", ...full })));
    return combineObjective(full.partials, tasks, job.userStride, regParam);
  }

  /**
   * Fills `job.side`'s CSR: on the first worker when there is one (the caller fills the other side meanwhile, so the
   * setup's two counting sorts take one sort's time), else here. The arrays must then be SharedArrayBuffer views.
   * The CSR is the same whichever thread writes it.
   */
  async fillCsr(job: AlsCsrJob): Promise<void> {
    if (this.workers.length === 0) {
      const space = this.o.sideSpace[job.side];
      fillSideCsr(this.buffers[space], this.o.spaces[space].layout, job);
      return;
    }
    await runOn(this.workers[0], { type: "fillCsr", ...job });
  }

  /**
   * One side's Spark initial factors (sparkAlsInitialFactors): on the second worker when there is one (the first fills
   * the item CSR and the caller the user CSR meanwhile, so the setup's serial random draws leave no core idle), else
   * here. They depend on (ids, rank, seed, numBlocks) only, so they are the same whichever thread draws them.
   */
  async initialFactors(job: AlsInitJob): Promise<Float32Array> {
    if (this.workers.length < 2) return sparkAlsInitialFactors(job.ids, job.rank, job.seed, job.numBlocks);
    const reply = await runOn(this.workers[1], { type: "initialFactors", ...job });
    if (!(reply.factors instanceof Float32Array)) throw new Error("ALS worker replied to initialFactors without factors");
    return reply.factors;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

function runOn(w: Worker, message: Exclude<AlsWorkerMessage, { type: "close" }>): Promise<AlsWorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: AlsWorkerReply): void => {
      cleanup();
      if (m.type === "done") resolve(m);
      else reject(new Error(`ALS worker failed: ${m.message}`));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`ALS worker exited with code ${code}`));
    };
    const cleanup = (): void => {
      w.off("message", onMessage);
      w.off("error", onError);
      w.off("exit", onExit);
    };
    w.on("message", onMessage);
    w.on("error", onError);
    w.on("exit", onExit);
    w.postMessage(message);
  });
}
