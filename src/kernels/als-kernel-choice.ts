/**
 * Which build of the ALS kernels runs (both from assembly/als-half-step.ts, built by scripts/build-wasm.mjs):
 *  - "simd128": plain SIMD128, every multiply and add rounded on its own: the same bits on every machine.
 *  - "simd128-fma": relaxed SIMD, `f32x4.relaxed_madd` (one fused multiply-add where the CPU has FMA). Fewer
 *    instructions a rating, but relaxed SIMD lets the engine fuse or not depending on the CPU, so its factors may
 *    differ in the last bits between machines (never between runs or worker counts on one machine).
 * Node 20's V8 (11.3) validates relaxed SIMD only once `--experimental-wasm-relaxed-simd` is set. V8 flags are
 * process-wide: set on the main thread before the workers start, the workers' compiles see it too (checked).
 */
import { setFlagsFromString } from "node:v8";

/** What a run may ask for: today's portable kernel (the default), the FMA one (refused where unavailable), or the
 * FMA one where available and else the portable one. */
export const ALS_KERNEL_SETTINGS = ["portable", "fma", "auto"] as const;
export type AlsKernelSetting = (typeof ALS_KERNEL_SETTINGS)[number];

/** The kernel that ran, as manifest.json records it (`kernels.als`). */
export type AlsKernelName = "simd128" | "simd128-fma";

/** The kernel a run uses unless told otherwise: byte-identical artefacts on every machine. */
export const DEFAULT_ALS_KERNEL: AlsKernelName = "simd128";

/** Shipped .wasm file of each kernel (src/kernels/wasm/, copied into dist by scripts/copy-assets.mjs). */
export const ALS_KERNEL_FILES: Record<AlsKernelName, string> = { simd128: "als.wasm", "simd128-fma": "als-fma.wasm" };

/** (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd) */
const RELAXED_MADD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

interface WasmValidate {
  validate(bytes: Uint8Array): boolean;
}

let relaxed: boolean | undefined;

/**
 * Whether this process can compile relaxed-SIMD kernels: turns V8's relaxed-SIMD flag on (a no-op where relaxed
 * SIMD is already on by default, as in newer Node) and validates a one-instruction module. Asked only when a run
 * wants the FMA kernel, so portable runs never touch V8's flags.
 */
export function relaxedSimdAvailable(): boolean {
  if (relaxed !== undefined) return relaxed;
  const wasm = (globalThis as unknown as { WebAssembly?: WasmValidate }).WebAssembly;
  if (!wasm) return (relaxed = false);
  if (!wasm.validate(RELAXED_MADD_PROBE)) {
    try {
      setFlagsFromString("--experimental-wasm-relaxed-simd");
    } catch {
      // an engine without the flag: the validation below answers
    }
  }
  return (relaxed = wasm.validate(RELAXED_MADD_PROBE));
}
