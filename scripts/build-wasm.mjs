// Compiles the AssemblyScript kernels in src/kernels/assembly/ (als-half-step.ts: ALS training -> als.wasm;
// top-k-dot.ts: top-k recommendation -> topk.wasm; item-knn.ts: item-item neighbours and their recommendations -> itemknn.wasm; similar-cosine.ts: ALS similar items for every item -> simcos.wasm) into src/kernels/wasm/, the shared-memory builds the workers instantiate on one imported WebAssembly.Memory.
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
/** AssemblyScript source (beside its TypeScript twin of the same name in src/kernels/) -> shipped .wasm name. */
// A fourth column lists extra features: als-fma is the same ALS source built with relaxed SIMD, so its multiply-adds
// are fused (f32x4.relaxed_madd; src/kernels/als-kernel-choice.ts says when it runs).
const KERNELS = [
  ["src/kernels/assembly/als-half-step.ts", "als", []],
  ["src/kernels/assembly/als-half-step.ts", "als-fma", ["--enable", "relaxed-simd"]],
  ["src/kernels/assembly/top-k-dot.ts", "topk", []],
  ["src/kernels/assembly/item-knn.ts", "itemknn", []],
  ["src/kernels/assembly/similar-cosine.ts", "simcos", []],
];
for (const [source, name, features] of KERNELS) {
  const args = [
    asc,
    source,
    "-O3",
    "--runtime",
    "stub",
    "--noAssert",
    "--use",
    "abort=",
    "--enable",
    "simd",
    "--enable",
    "threads",
    ...features,
    "--sharedMemory",
    "--importMemory",
    "--maximumMemory",
    String(MAXIMUM_PAGES),
    "--outFile",
    join(outDir, `${name}.wasm`),
  ];
  execFileSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  console.log(`built ${join(outDir, `${name}.wasm`)}`);
}
