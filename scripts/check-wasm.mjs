// CI guard: rebuilds the wasm kernels into a temporary directory and fails when the bytes differ from the
// committed src/kernels/wasm/*.wasm (someone edited src/kernels/assembly/ without running `npm run build:wasm`, or the build
// stopped being deterministic).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = mkdtempSync(join(tmpdir(), "recpipe-wasm-"));
try {
  execFileSync(process.execPath, [join(root, "scripts/build-wasm.mjs"), tmp], { cwd: root, stdio: "inherit" });
  let bad = 0;
  for (const f of readdirSync(tmp).filter((n) => n.endsWith(".wasm"))) {
    const fresh = readFileSync(join(tmp, f));
    let committed;
    try {
      committed = readFileSync(join(root, "src/kernels/wasm", f));
    } catch {
      console.error(`src/kernels/wasm/${f} is missing; run npm run build:wasm and commit it`);
      bad++;
      continue;
    }
    if (!fresh.equals(committed)) {
      console.error(
        `src/kernels/wasm/${f} differs from a fresh build of src/kernels/assembly/ (${committed.length} vs ${fresh.length} bytes); run npm run build:wasm and commit it`,
      );
      bad++;
    }
  }
  if (bad) process.exit(1);
  console.log("wasm kernels match their sources");
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
