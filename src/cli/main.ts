#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { SUPERVISED_ENV, supervise } from "./supervise.js";

// The commands run in a child process, so that a crash no JavaScript can catch (V8 out of memory, a fatal invalid
// size, the OOM killer) still ends in exit 1 with a message saying what happened and what to do. The child imports
// the whole program; this parent imports only node:child_process, which keeps its own start-up small.
if (process.env[SUPERVISED_ENV] === "1") {
  await import("./program.js");
} else {
  process.exitCode = await supervise(fileURLToPath(import.meta.url), process.argv.slice(2));
}
