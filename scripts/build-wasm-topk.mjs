// Builds the top-k recommendation kernel: as/topk.ts -> src/kernels/wasm/topk.wasm (committed, so users need no
// toolchain). Shared-memory build: every worker instantiates it on one imported WebAssembly.Memory, whose maximum
// must equal TOPK_MAX_PAGES in src/kernels/top-k-dot-wasm.ts.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const MAX_PAGES = 65536; // 4 GiB: wasm32's ceiling; shared memory is only reserved, not committed.
const require = createRequire(import.meta.url);
const asc = join(dirname(require.resolve("assemblyscript/package.json")), "bin", "asc.js");
mkdirSync("src/kernels/wasm", { recursive: true });
execFileSync(process.execPath, [
  asc, "as/topk.ts", "-O3", "--runtime", "stub", "--noAssert", "--use", "abort=",
  "--enable", "simd", "--enable", "threads", "--sharedMemory", "--importMemory", "--maximumMemory", String(MAX_PAGES),
  "-o", "src/kernels/wasm/topk.wasm",
], { stdio: "inherit" });
console.log("built src/kernels/wasm/topk.wasm");
