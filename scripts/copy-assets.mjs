// Copies non-TypeScript runtime assets (the built .wasm kernels) next to the compiled JavaScript.
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

const pairs = [["src/kernels/wasm", "dist/src/kernels/wasm"]];
for (const [from, to] of pairs) {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) if (f.endsWith(".wasm")) cpSync(join(from, f), join(to, f));
}
