/**
 * Where activations declare themselves: each activation's file ends with one
 * `defineActivation({...})`, and `registry.ts`, which imports those files in documentation
 * order, publishes what was declared as `ACTIVATIONS`. Private to the package.
 */

import {
  type ActivationInfo,
  type AnyOptions,
  type KernelBinding,
  withoutOut,
} from "./activation.ts";
import type { Tensor } from "./tensor.ts";

/**
 * What an activation's file writes: its registry entry, less what is derived from it (the
 * bytes its module caches per element, and stripping `out` before backward and create, which
 * take none) or may be left out (no aliases, no papers).
 */
export type Declaration = Omit<ActivationInfo, "caches" | "aliases" | "references"> & {
  /** What the module caches for backward. */
  readonly caches: ActivationInfo["caches"]["what"];
  /** Other names, if any. */
  readonly aliases?: readonly string[];
  /** Its papers, if any. */
  readonly references?: readonly ActivationInfo["references"][number][];
};

const declared: ActivationInfo[] = [];

/** Records an activation's entry (frozen), once per name, in the order files are evaluated. */
export function defineActivation(declaration: Declaration): ActivationInfo {
  const { name, caches, backward, create } = declaration;
  if (declared.some((a) => a.name === name)) {
    throw new Error(`Cannot declare the activation ${JSON.stringify(name)} twice`);
  }
  const entry: ActivationInfo = Object.freeze({
    ...declaration,
    aliases: Object.freeze([...(declaration.aliases ?? [])]),
    references: Object.freeze([...(declaration.references ?? [])]),
    // A float32 copy of the input or the output: 4 bytes an element.
    caches: Object.freeze({ what: caches, bytesPerElement: caches === "none" ? 0 : 4 }),
    backward: (dy: Tensor, x: Tensor, options?: AnyOptions) => backward(dy, x, withoutOut(options)),
    create: (options?: AnyOptions) => create(withoutOut(options)),
  });
  declared.push(entry);
  return entry;
}

/** Every entry declared so far, in declaration order. */
export function declaredActivations(): readonly ActivationInfo[] {
  return declared;
}

/**
 * The kernel name and parameters a binding gives for resolved options; undefined when the
 * option that picks the name has a value without a kernel.
 */
export function kernelCall(
  binding: KernelBinding,
  options: AnyOptions = {},
): { name: string; params: number[] } | undefined {
  const { name } = binding;
  const chosen = typeof name === "string" ? name : name.names[String(options[name.option])];
  if (chosen === undefined) return undefined;
  return { name: chosen, params: (binding.params ?? []).map((p) => options[p] as number) };
}

/** One kernel the registry binds, with the call core makes at the activation's defaults. */
export interface BoundKernel {
  /** The activation's registry name. */
  readonly activation: string;
  /** The options picking this kernel (GELU's `approximate`), else none. */
  readonly options: AnyOptions;
  /** The kernels' name: the module exports `<name>_f32` and/or `<name>_f64`. */
  readonly name: string;
  /** Its parameters at the activation's defaults. */
  readonly params: readonly number[];
  /** `"elementwise"` or `"rows"`. */
  readonly layout: "elementwise" | "rows";
}

/**
 * Every kernel the declared activations bind, each with the parameters core passes at the
 * activation's defaults: what benchmarks and kernel tests iterate over instead of a list.
 */
export function boundKernels(): BoundKernel[] {
  const out: BoundKernel[] = [];
  for (const a of declared) {
    const binding = a.kernel;
    if (binding === undefined) continue;
    const defaults: AnyOptions = {};
    for (const o of a.options) defaults[o.name] = o.default;
    const picks = typeof binding.name === "string"
      ? [{}]
      : Object.keys(binding.name.names).map((v) => ({
        [(binding.name as { option: string }).option]: v,
      }));
    for (const options of picks) {
      const call = kernelCall(binding, { ...defaults, ...options });
      if (call === undefined) continue;
      out.push({
        activation: a.name,
        options,
        name: call.name,
        params: call.params,
        layout: binding.layout ?? "elementwise",
      });
    }
  }
  return out;
}
