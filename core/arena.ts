/**
 * Arrays that the WebAssembly kernels work on in place. Ordinary typed arrays stream through a
 * small tile in the kernels' memory, a copy in and a copy out that cost about as much as
 * copying the array once (0.3 ns per float32 element on a typical server core): for relu, about
 * as much as the work itself. Arrays taken from a {@linkcode KernelArena} live in that memory
 * already, so activations between them (`relu(x, { out })` with `x` and `out` on arena arrays)
 * skip both copies. Results are the same bits either way.
 *
 * @module
 */

import { wasmArena } from "./_kernels/wasm/mod.ts";
import { show } from "./_shape.ts";

/** Alignment of every array an arena hands out (one kernel step). */
const ALIGN = 64;

/**
 * A fixed block of memory for float32 and float64 arrays that the SIMD kernels read and write
 * in place. Its size is set at creation (the kernels' memory cannot grow without detaching the
 * arrays already handed out); arrays are released together, when the arena and every array
 * taken from it are garbage collected. Each arena is an instance of the kernels with its own
 * memory, so make a few large arenas rather than many small ones. Where WebAssembly SIMD is
 * missing, or the host will not instantiate it synchronously (a browser's main thread: call
 * `initKernels()` and use workers), the arrays are ordinary ones, and they still work through
 * the tile or the TypeScript path.
 *
 * @example Usage
 * ```ts
 * import { KernelArena, relu, Tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const arena = new KernelArena(1 << 20); // 1 MiB
 * const x = new Tensor(arena.float32(4), [4]);
 * x.data.set([-2, -1, 1, 2]);
 * const out = new Tensor(arena.float32(4), [4]);
 * relu(x, { out });
 * assert.deepEqual(out.toArray(), [0, 0, 1, 2]);
 * ```
 */
export class KernelArena {
  readonly #buffer: ArrayBuffer;
  readonly #end: number;
  #next: number;

  /** Reserves `bytes` bytes (a positive integer, at most 2 GiB). */
  constructor(bytes: number) {
    if (typeof bytes !== "number") {
      throw new TypeError(`Cannot create KernelArena of ${show(bytes)} bytes: expected a number`);
    }
    if (!Number.isInteger(bytes) || bytes <= 0 || bytes > 2 ** 31) {
      throw new RangeError(
        `Cannot create KernelArena of ${show(bytes)} bytes: expected an integer in [1, 2^31]`,
      );
    }
    const arena = wasmArena(bytes);
    this.#buffer = arena?.buffer ?? new ArrayBuffer(bytes);
    this.#next = arena?.base ?? 0;
    this.#end = this.#next + bytes;
  }

  /** Bytes still free for arrays (each array also rounds up to 64 bytes). */
  get bytesFree(): number {
    return this.#end - this.#next;
  }

  /**
   * A new zero-filled Float32Array of `length` elements in the arena.
   *
   * @example Usage
   * ```ts
   * import { KernelArena } from "@nonlin/core";
   * import assert from "node:assert/strict";
   *
   * const a = new KernelArena(4096).float32(3);
   * assert.deepEqual([...a], [0, 0, 0]);
   * ```
   */
  float32(length: number): Float32Array {
    return new Float32Array(this.#buffer, this.#take(length, 4, "float32"), length);
  }

  /**
   * A new zero-filled Float64Array of `length` elements in the arena.
   *
   * @example Usage
   * ```ts
   * import { KernelArena } from "@nonlin/core";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new KernelArena(4096).float64(5).length, 5);
   * ```
   */
  float64(length: number): Float64Array {
    return new Float64Array(this.#buffer, this.#take(length, 8, "float64"), length);
  }

  #take(length: number, size: number, what: string): number {
    if (typeof length !== "number") {
      throw new TypeError(`Cannot allocate ${what} length ${show(length)}: expected a number`);
    }
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(
        `Cannot allocate ${what} length ${show(length)}: expected an integer ≥ 0`,
      );
    }
    const bytes = Math.ceil((length * size) / ALIGN) * ALIGN;
    if (bytes > this.bytesFree) {
      throw new RangeError(
        `Cannot allocate ${what} length ${length}: the arena has ${this.bytesFree} bytes free`,
      );
    }
    const at = this.#next;
    this.#next += bytes;
    // A fresh arena is zero-filled; handing out each byte once keeps it so.
    return at;
  }
}
