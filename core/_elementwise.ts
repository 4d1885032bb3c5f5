/**
 * The shared loops behind every element-wise activation: argument checks, output allocation
 * (or the caller's `out`), and the forward and backward maps. Kernels below know typed arrays.
 */

import { allocate, type DataArray } from "./_dtype.ts";
import type { AnyOptions, KernelBinding } from "./activation.ts";
import { kernelCall } from "./_declare.ts";
import { wasmUnary } from "./_kernels/wasm/mod.ts";
import { sameShape, show } from "./_shape.ts";
import { Tensor } from "./tensor.ts";

/** Throws a TypeError unless `x` is a Tensor; `what` names the argument and the caller. */
export function checkTensor(x: unknown, what: string): Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`Cannot use ${what} ${show(x)}: expected a Tensor`);
  }
  return x;
}

/** Returns `out` after checking it matches `like`, or a new tensor shaped like `like`. */
export function outputFor(fn: string, like: Tensor, out: unknown): Tensor {
  if (out === undefined) return new Tensor(allocate(like.dtype, like.size), like.shape);
  checkTensor(out, `${fn}() option out`);
  const o = out as Tensor;
  if (o.dtype !== like.dtype || !sameShape(o.shape, like.shape)) {
    throw new RangeError(
      `Cannot use ${fn}() option out of ${o.dtype} shape ${
        show(o.shape)
      }: expected ${like.dtype} shape ${show(like.shape)}`,
    );
  }
  return o;
}

/** True when two arrays share any memory. */
export function overlaps(a: DataArray, b: DataArray): boolean {
  if (a.buffer !== b.buffer) return false;
  const a0 = a.byteOffset, b0 = b.byteOffset;
  return a0 < b0 + b.byteLength && b0 < a0 + a.byteLength;
}

/**
 * \`x\` itself, or a copy of it when \`out\` shares part of its memory without being exactly the
 * same elements: every loop and kernel here reads an element before writing the same element,
 * which makes exact aliasing (\`out\` = \`x\`, in place) safe, but a shifted \`out\` would overwrite
 * inputs not yet read (NumPy's ufuncs go through a temporary likewise since 1.13).
 */
export function inputFor(x: Tensor, out: Tensor): Tensor {
  const a = x.data, b = out.data;
  if (!overlaps(a, b)) return x;
  const same = a.byteOffset === b.byteOffset && a.length === b.length &&
    a.BYTES_PER_ELEMENT === b.BYTES_PER_ELEMENT;
  return same ? x : new Tensor(a.slice(), x.shape);
}

/** Checks that the gradient has the shape of the tensor it is the gradient of. */
export function checkGradient(fn: string, gradOutput: unknown, like: Tensor, name = "x"): Tensor {
  const g = checkTensor(gradOutput, `${fn}() argument gradOutput`);
  if (!sameShape(g.shape, like.shape)) {
    throw new RangeError(
      `Cannot use ${fn}() argument gradOutput of shape ${
        show(g.shape)
      }: expected the shape of ${name}, ${show(like.shape)}`,
    );
  }
  return g;
}

/**
 * Applies the scalar function `f` (evaluated in float64, rounded once on store) to every
 * element of `x`, into `out`. When `kernel` binds a WebAssembly kernel (picked and
 * parametrised by the resolved `options`) for this dtype and
 * kernels are enabled (see `kernels.ts`), that kernel runs instead; the choice depends only on
 * the activation, its options and the dtype, never on the size, so a tensor cut into shards
 * gives bitwise the same result as the whole.
 */
export function mapUnary(
  x: Tensor,
  out: Tensor,
  f: (v: number) => number,
  kernel?: KernelBinding,
  options?: AnyOptions,
): Tensor {
  x = inputFor(x, out);
  const call = kernel === undefined ? undefined : kernelCall(kernel, options);
  if (call !== undefined && wasmUnary(call.name, x.data, out.data, call.params)) {
    return out;
  }
  const src = x.data, dst = out.data;
  for (let i = 0; i < src.length; i++) dst[i] = f(src[i]);
  return out;
}

/**
 * The backward map: `g(dy, c)` per element, where `c` is the cached input or output. The
 * result has the cached tensor's dtype.
 */
export function mapGradient(
  gradOutput: Tensor,
  cached: Tensor,
  g: (dy: number, c: number) => number,
): Tensor {
  const out = allocate(cached.dtype, cached.size);
  const dy = gradOutput.data, c = cached.data;
  for (let i = 0; i < out.length; i++) out[i] = g(dy[i], c[i]);
  return new Tensor(out, cached.shape);
}
