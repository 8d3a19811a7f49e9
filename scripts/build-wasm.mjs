// Compiles the AssemblyScript kernels (as/als.ts: ALS training; as/topk.ts: top-k recommendation) into
// src/kernels/wasm/<name>.wasm, the shared-memory builds the workers instantiate on one imported WebAssembly.Memory.
// Usage: node scripts/build-wasm.mjs [outDir]   (default src/kernels/wasm). The build is deterministic: same
// source + same assemblyscript version => same bytes; scripts/check-wasm.mjs relies on that.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = resolve(process.argv[2] ?? join(root, "src/kernels/wasm"));
mkdirSync(outDir, { recursive: true });

/** 65536 pages = 4 GiB, the wasm32 ceiling; shared memories must declare a maximum (reserved virtually only). */
export const MAXIMUM_PAGES = 65536;

const asc = join(root, "node_modules/assemblyscript/bin/asc.js");
for (const name of ["als", "topk"]) {
  const args = [
    asc, `as/${name}.ts`,
    "-O3", "--runtime", "stub", "--noAssert", "--use", "abort=",
    "--enable", "simd", "--enable", "threads",
    "--sharedMemory", "--importMemory", "--maximumMemory", String(MAXIMUM_PAGES),
    "--outFile", join(outDir, `${name}.wasm`),
  ];
  execFileSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  console.log(`built ${join(outDir, `${name}.wasm`)}`);
}
