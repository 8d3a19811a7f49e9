#!/usr/bin/env node
// Regenerates docs/bad-inputs.md from the cases in test/bad-inputs/ by running them (they run the built CLI, so
// build first). The same test fails when the doc and the CLI's answers differ, so the two cannot drift.
import { spawnSync } from "node:child_process";

const r = spawnSync("npx", ["vitest", "run", "test/bad-inputs/bad-inputs.test.ts"], {
  stdio: "inherit",
  env: { ...process.env, BAD_INPUTS_DOC: "write" },
});
process.exit(r.status ?? 1);
