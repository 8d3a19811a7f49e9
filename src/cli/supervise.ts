import { spawn } from "node:child_process";
import { crashMessage } from "./crash-message.js";

/** Set in the child's environment: the child runs the commands, the parent only watches it. */
export const SUPERVISED_ENV = "RECPIPE_SUPERVISED";
/** Set when the parent's stderr is a terminal, so the child draws progress bars although its stderr is a pipe. */
export const STDERR_TTY_ENV = "RECPIPE_STDERR_COLUMNS";

/** How much of the child's stderr is kept to explain a crash (V8 prints its fatal message last). */
const TAIL_BYTES = 16 * 1024;

/**
 * Runs the CLI in a child process and turns whatever ends it into exit 0, 1 or 2. V8's fatal errors (heap out of
 * memory, "invalid size", a failed wasm grow that aborts) and the kernel's OOM killer end a process with a signal or
 * exit codes like 133/134 that no try/catch can see; from outside they can be named and explained. SIGINT, SIGTERM
 * and SIGHUP are passed on, so the child unwinds (removing its temporary run directory) as it would on its own.
 */
export function supervise(script: string, args: readonly string[]): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, [SUPERVISED_ENV]: "1" };
  if (process.stderr.isTTY) env[STDERR_TTY_ENV] = String(process.stderr.columns || 80);
  // 'ipc' gives the child a channel that closes when this process dies, even by SIGKILL: the child then stops too.
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ["inherit", "inherit", "pipe", "ipc"], env });
  let tail = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail = (tail + chunk.toString("utf8")).slice(-TAIL_BYTES);
  });
  let forwarded: NodeJS.Signals | undefined;
  const forward = (sig: NodeJS.Signals) => {
    forwarded = sig;
    child.kill(sig);
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, forward);
  return new Promise((resolve) => {
    child.on("error", (e) => {
      process.stderr.write(`recpipe: internal error: could not start the worker process: ${e.message}\n`);
      resolve(1);
    });
    child.on("close", (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal === null && (code === 0 || code === 1 || code === 2)) return resolve(code);
      process.stderr.write(crashMessage({ code, signal, forwarded, stderrTail: tail }));
      resolve(1);
    });
  });
}

/**
 * In the child: stop when the supervising parent goes away (killed with SIGKILL, say), rather than finishing a run
 * nobody waits for. The channel must not keep the event loop alive on its own.
 */
export function exitWithParent(): void {
  if (!process.channel) return;
  process.channel.unref();
  process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
}

/** In the child: behave as if stderr were the parent's terminal (progress bars instead of plain lines). */
export function adoptParentTerminal(): void {
  const cols = Number(process.env[STDERR_TTY_ENV]);
  if (!cols) return;
  Object.assign(process.stderr, { isTTY: true, columns: cols });
}
