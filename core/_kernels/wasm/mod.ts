/**
 * WebAssembly SIMD kernels for the hot activations, on typed arrays only.
 *
 * The module is embedded (base64, `_bytes.ts`, built from `core/_kernels/asm/`) and instantiated
 * synchronously on first use. Arrays of any size stream through the module's scratch memory
 * (64 KiB plus slack) in tiles of 32 KiB, so no full-size copy is made and the memory never
 * grows. Every function returns `false` when it has no kernel for the request (or WebAssembly
 * SIMD is missing, or kernels are switched off), and the caller then runs its TypeScript
 * version.
 *
 * The kernels are found by name in the module's exports: an element-wise kernel `name` exists for
 * a dtype exactly when the module exports `name_f32` or `name_f64` (see
 * {@linkcode wasmKernels}), a row kernel when it exports `name_rows_f32` or `name_rows_f64`.
 *
 * Accuracy against exact values: float32 kernels within 2 ULP, float64 kernels within 4 ULP
 * (the bounds the tests hold; the measured figures are in the README's Accuracy section). NaN in
 * gives NaN out, the limits at ±inf are kept and subnormal inputs and outputs are rounded like
 * any other.
 *
 * @example Usage
 * ```ts
 * import { wasmUnary } from "./mod.ts";
 * const x = new Float32Array([-1, 0, 1]);
 * const y = new Float32Array(3);
 * if (!wasmUnary("sigmoid", x, y)) y.set(x.map((v) => 1 / (1 + Math.exp(-v))));
 * ```
 *
 * @module
 */
import { sumError } from "../../_dd.ts";
import { WASM_BASE64 } from "./_bytes.ts";

/**
 * Name of a kernel, as the module exports it without its dtype suffix (`"sigmoid"` for
 * `sigmoid_f32` and `sigmoid_f64`). Any string: a name the module lacks gets `false`.
 */
export type KernelName = string;

/**
 * Element-wise kernel: reads n elements at src, writes them at dst (src == dst: in place), with
 * the kernel's parameters a and b.
 */
type Unary = (src: number, dst: number, n: number, a: number, b: number) => void;
/** Row-wise kernel, src to dst likewise. */
type Rows = (src: number, dst: number, rows: number, cols: number) => void;
/** A row kernel's last pass over one tile of a long row, given its max and its sums. */
type Apply = (p: number, n: number, max: number, rest: number, count: number) => void;

interface Exports {
  memory: WebAssembly.Memory;
  scratch(): number;
  scratchBytes(): number;
  rowmax_f32(ptr: number, n: number): number;
  rowmax_f64(ptr: number, n: number): number;
  sumexp_f32(ptr: number, n: number, m: number): number;
  sumexp_f64(ptr: number, n: number, m: number): number;
  lastMaxCount(): number;
  [name: string]: unknown;
}

/** The kernels of one instance for one element size, by name. */
interface Kernels {
  unary: Map<string, Unary>;
  rows: Map<string, { whole: Rows; apply: Apply }>;
}

interface Instance {
  exports: Exports;
  ptr: number;
  bytes: number;
  f32: Float32Array;
  f64: Float64Array;
  kernels: Record<4 | 8, Kernels>;
}

/** Element-wise kernel exports: `<name>_f32` / `<name>_f64`, the name without underscores. */
const UNARY_EXPORT = /^([A-Za-z0-9]+)_f(32|64)$/;
/** Row kernel exports: `<name>_rows_f32` / `<name>_rows_f64`. */
const ROWS_EXPORT = /^([A-Za-z0-9]+)_rows_f(32|64)$/;

/**
 * Looks the kernels up in an instance's exports, once. An element-wise kernel has the drivers'
 * five parameters, which tells it from `rowmax_f32` and `sumexp_f32`.
 */
function kernelsOf(exports: Exports): Record<4 | 8, Kernels> {
  const kernels: Record<4 | 8, Kernels> = {
    4: { unary: new Map(), rows: new Map() },
    8: { unary: new Map(), rows: new Map() },
  };
  for (const [key, value] of Object.entries(exports)) {
    if (typeof value !== "function") continue;
    const unary = UNARY_EXPORT.exec(key);
    if (unary !== null && value.length === 5) {
      kernels[unary[2] === "32" ? 4 : 8].unary.set(unary[1], value as Unary);
    }
    const rows = ROWS_EXPORT.exec(key);
    const apply = rows && exports[`${rows[1]}_apply_f${rows[2]}`];
    if (rows !== null && typeof apply === "function") {
      kernels[rows[2] === "32" ? 4 : 8].rows.set(rows[1], {
        whole: value as Rows,
        apply: apply as Apply,
      });
    }
  }
  return kernels;
}

/** Bytes per tile for element-wise kernels: small enough to stay in L1/L2 while it round-trips. */
const TILE_BYTES = 32768;

let enabled = true;
let instance: Instance | null | undefined;

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

function wrap(exports: Exports): Instance {
  const ptr = exports.scratch();
  const bytes = exports.scratchBytes();
  return {
    exports,
    ptr,
    bytes,
    f32: new Float32Array(exports.memory.buffer, ptr, bytes / 4),
    f64: new Float64Array(exports.memory.buffer, ptr, bytes / 8),
    kernels: kernelsOf(exports),
  };
}

let compiled: WebAssembly.Module | undefined;

function load(): Instance | null {
  if (instance !== undefined) return instance;
  try {
    const module = compiled ??= new WebAssembly.Module(decode(WASM_BASE64));
    instance = wrap(new WebAssembly.Instance(module, {}).exports as unknown as Exports);
  } catch {
    // No WebAssembly, no SIMD, or a main thread that refuses synchronous compilation.
    instance = null;
  }
  return instance;
}

/** Views on the scratch tile, renewed should the memory ever have grown (it does not). */
function views(inst: Instance): Instance {
  if (inst.f32.buffer !== inst.exports.memory.buffer) {
    inst.f32 = new Float32Array(inst.exports.memory.buffer, inst.ptr, inst.bytes / 4);
    inst.f64 = new Float64Array(inst.exports.memory.buffer, inst.ptr, inst.bytes / 8);
  }
  return inst;
}

/**
 * Compiles and instantiates the module asynchronously, for hosts (browser main threads) that
 * refuse synchronous compilation of modules this size. Resolves to {@linkcode wasmAvailable}.
 */
export async function wasmInit(): Promise<boolean> {
  if (instance === undefined) {
    try {
      const module = compiled ??= await WebAssembly.compile(decode(WASM_BASE64));
      const inst = await WebAssembly.instantiate(module, {});
      instance ??= wrap(inst.exports as unknown as Exports);
    } catch {
      instance = null;
    }
  }
  return wasmAvailable();
}

/**
 * True when WebAssembly SIMD is available, the module instantiated (synchronously from the
 * embedded bytes, on first use) and kernels are not switched off by {@linkcode setWasmEnabled}.
 */
export function wasmAvailable(): boolean {
  return enabled && load() !== null;
}

/** Global switch for tests: `false` forces the TypeScript path. */
export function setWasmEnabled(on: boolean): void {
  enabled = on;
}

/** The kernels of the instances whose memory is an arena, by that memory's buffer. */
const arenas = new WeakMap<ArrayBufferLike, Record<4 | 8, Kernels>>();

/**
 * A fresh instance of the kernels whose memory has grown once, at creation, by at least
 * `bytes`: arrays viewing `buffer` from `base` on are read and written by the kernels in place,
 * with no tile copies. The memory never grows again, so the views stay valid. Null without
 * WebAssembly SIMD, or when the instance cannot be made.
 */
export function wasmArena(bytes: number): { buffer: ArrayBuffer; base: number } | null {
  if (load() === null || compiled === undefined) return null;
  try {
    const exports = new WebAssembly.Instance(compiled, {}).exports as unknown as Exports;
    const base = Math.ceil(exports.memory.buffer.byteLength / 64) * 64;
    exports.memory.grow(Math.ceil((base - exports.memory.buffer.byteLength + bytes) / 65536));
    arenas.set(exports.memory.buffer, kernelsOf(exports));
    return { buffer: exports.memory.buffer as ArrayBuffer, base };
  } catch {
    // A host that refuses synchronous instantiation here (a browser's main thread), or memory
    // that cannot grow that far: the arena falls back to ordinary memory.
    return null;
  }
}

/**
 * The kernels of the arena instance both arrays live in, when they do and either are the same
 * view or do not overlap (the kernels read a step of 64 bytes before writing it, not element by
 * element).
 */
function arenaOf(
  x: Float32Array | Float64Array,
  y: Float32Array | Float64Array,
): Record<4 | 8, Kernels> | null {
  const kernels = arenas.get(x.buffer);
  if (kernels === undefined || y.buffer !== x.buffer) return null;
  const same = x.byteOffset === y.byteOffset && x.length === y.length;
  const apart = x.byteOffset + x.byteLength <= y.byteOffset ||
    y.byteOffset + y.byteLength <= x.byteOffset;
  return same || apart ? kernels : null;
}

function sameKind(x: Float32Array | Float64Array, y: Float32Array | Float64Array): 4 | 8 | 0 {
  if (x instanceof Float32Array && y instanceof Float32Array) return 4;
  if (x instanceof Float64Array && y instanceof Float64Array) return 8;
  return 0;
}

/**
 * The element-wise kernels the module has for a dtype, in the module's order: the names
 * {@linkcode wasmUnary} accepts for it. Empty without WebAssembly SIMD.
 */
export function wasmKernels(dtype: "float32" | "float64"): readonly string[] {
  const inst = load();
  return inst === null ? [] : [...inst.kernels[dtype === "float32" ? 4 : 8].unary.keys()];
}

/**
 * Element-wise: writes f(x[i]) into y[i] for all i. `params` are the kernel's parameters, passed
 * as given, a missing one as 0: elu takes `[alpha]`, softplus `[beta, threshold]`. Returns false
 * if the module has no kernel `name` for the dtype (float64 geluTanh has none), so the caller
 * falls back to TypeScript. x and y may be the same array and may view a SharedArrayBuffer.
 */
export function wasmUnary(
  name: KernelName,
  x: Float32Array | Float64Array,
  y: Float32Array | Float64Array,
  params: readonly number[] = [],
): boolean {
  const size = sameKind(x, y);
  if (size === 0 || x.length !== y.length || !enabled) return false;
  const inst = load();
  if (inst === null) return false;
  const fn = inst.kernels[size].unary.get(name);
  if (fn === undefined) return false;
  const a = params[0] ?? 0, b = params[1] ?? 0;
  let n = x.length;
  const arena = arenaOf(x, y);
  if (arena !== null) {
    // Whole steps of 64 bytes in place; the few elements after them go through the tile.
    const whole = n - (n % (64 / size));
    arena[size].unary.get(name)!(x.byteOffset, y.byteOffset, whole, a, b);
    if (whole === n) return true;
    x = x.subarray(whole);
    y = y.subarray(whole);
    n -= whole;
  }
  const heap = size === 4 ? views(inst).f32 : views(inst).f64;
  const tile = TILE_BYTES / size;
  const full = heap.subarray(0, tile);
  for (let i = 0; i < n; i += tile) {
    const m = Math.min(tile, n - i);
    heap.set(m === n ? x : x.subarray(i, i + m));
    fn(inst.ptr, inst.ptr, m, a, b);
    y.set(m === tile ? full : heap.subarray(0, m), i);
  }
  return true;
}

/**
 * Row-wise `name` (softmax or logSoftmax) along the last, contiguous axis: rows = x.length /
 * cols. Rows holding NaN or +inf, or only -inf, come out all NaN. Returns false if the module has
 * no row kernel `name`, or if cols does not divide the length (the caller validates and reports).
 */
export function wasmRows(
  name: KernelName,
  x: Float32Array | Float64Array,
  y: Float32Array | Float64Array,
  cols: number,
): boolean {
  const size = sameKind(x, y);
  if (size === 0 || x.length !== y.length || !enabled) return false;
  const inst = load();
  if (inst === null) return false;
  const kernel = inst.kernels[size].rows.get(name);
  if (kernel === undefined) return false;
  if (x.length === 0) return true;
  if (!Number.isInteger(cols) || cols <= 0 || x.length % cols !== 0) return false;
  const arena = arenaOf(x, y);
  if (arena !== null) {
    // Rows of any length in place: the row kernels never step past a row's end.
    arena[size].rows.get(name)!.whole(x.byteOffset, y.byteOffset, x.length / cols, cols);
    return true;
  }
  const heap = size === 4 ? views(inst).f32 : views(inst).f64;
  const rowBytes = cols * size;
  const n = x.length;
  if (rowBytes <= inst.bytes) {
    const step = Math.max(1, Math.floor(Math.min(TILE_BYTES, inst.bytes) / rowBytes)) * cols;
    const tile = rowBytes > TILE_BYTES ? cols : step;
    for (let i = 0; i < n; i += tile) {
      const m = Math.min(tile, n - i);
      heap.set(m === n ? x : x.subarray(i, i + m));
      kernel.whole(inst.ptr, inst.ptr, m / cols, cols);
      y.set(heap.subarray(0, m), i);
    }
    return true;
  }
  // Rows longer than the scratch memory: max, sum of exp, then apply, one tile at a time.
  const t = size === 4 ? "f32" : "f64";
  const rowmax = inst.exports[`rowmax_${t}`];
  const sumexp = inst.exports[`sumexp_${t}`];
  const count = inst.exports.lastMaxCount;
  const tile = TILE_BYTES / size;
  for (let r = 0; r < n; r += cols) {
    let max = -Infinity;
    for (let i = 0; i < cols; i += tile) {
      const m = Math.min(tile, cols - i);
      heap.set(x.subarray(r + i, r + i + m));
      const v = rowmax(inst.ptr, m);
      max = Number.isNaN(v) || v > max ? v : max;
      if (Number.isNaN(max)) break;
    }
    // The tiles' sums added with their rounding errors: float64 logSoftmax takes log1p of this
    // sum, and with a plain one was 1.70 ULP off on a row of 10^5 (0.96 now).
    let rest = 0, restErr = 0, ties = 0;
    for (let i = 0; i < cols; i += tile) {
      const m = Math.min(tile, cols - i);
      heap.set(x.subarray(r + i, r + i + m));
      const s = sumexp(inst.ptr, m, max), t = rest + s;
      restErr += sumError(rest, s, t);
      rest = t;
      ties += count();
    }
    rest += restErr;
    for (let i = 0; i < cols; i += tile) {
      const m = Math.min(tile, cols - i);
      heap.set(x.subarray(r + i, r + i + m));
      kernel.apply(inst.ptr, m, max, rest, ties);
      y.set(heap.subarray(0, m), r + i);
    }
  }
  return true;
}
