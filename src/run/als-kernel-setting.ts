import { InputError } from "../core/errors.js";
import { ALS_KERNEL_SETTINGS, relaxedSimdAvailable, type AlsKernelName, type AlsKernelSetting } from "../kernels/als-kernel-choice.js";

/**
 * The ALS kernel a run uses for `--kernel` (portable by default: byte-identical artefacts on every machine; fma:
 * fused multiply-add, refused with exit 2 where this Node cannot run it; auto: fma where it can, else portable).
 */
export function resolveAlsKernel(setting: AlsKernelSetting | undefined, where = "--kernel"): AlsKernelName {
  const s = setting ?? "portable";
  if (!ALS_KERNEL_SETTINGS.includes(s)) throw new InputError("E_ARGS", `${where}: expected one of ${ALS_KERNEL_SETTINGS.join(", ")}; got ${JSON.stringify(s)}`);
  if (s === "portable") return "simd128";
  if (relaxedSimdAvailable()) return "simd128-fma";
  if (s === "auto") return "simd128";
  throw new InputError(
    "E_UNSUPPORTED",
    `${where} fma: the fused multiply-add ALS kernel needs WebAssembly relaxed SIMD, which this Node (${process.version}, V8 ${process.versions.v8}) does not validate even with --experimental-wasm-relaxed-simd; use --kernel portable (the default) or auto`,
  );
}
