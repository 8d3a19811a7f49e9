/**
 * Starts a worker thread from an entry module next to the calling module: `<name>.js` when the caller runs compiled,
 * `<name>.ts` under vitest/tsx. `execArgv: ["--import", "tsx"]` does not work for a .ts worker entry on Node 20 (the
 * loader hooks are not in place when the entry loads: ERR_UNKNOWN_FILE_EXTENSION), so a tiny eval'd bootstrap
 * registers tsx's ESM hooks first.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

export function startWorkerBeside(callerUrl: string, name: string): Worker {
  if (!callerUrl.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, callerUrl));
  const tsxDir = dirname(createRequire(callerUrl).resolve("tsx/package.json"));
  const tsxApi = pathToFileURL(join(tsxDir, "dist", "esm", "api", "index.mjs")).href;
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => m.register()).then(() => import(${JSON.stringify(entry)}));`;
  return new Worker(bootstrap, { eval: true });
}
