/**
 * Shared staging memory recycled across runs: the copy of an ordinary input in shared memory,
 * and the shared output a run computes into before it is copied into an ordinary `out`. A
 * fresh SharedArrayBuffer costs a page fault per 4 KiB on first touch (five times the copy
 * itself on the machine this was written on); a recycled one costs nothing, and the workers are
 * shown the same few buffers again and again rather than new ones.
 *
 * Staging buffers are kept for the pool's life: as many as the busiest moment needed at once
 * (one or two per run in flight), each taken by the smallest request it fits. `clear()` (on close,
 * once the workers are gone) lets them all go. Staging buffers never leave the pool: no result
 * handed to the caller is one of them, so a later run cannot overwrite it. Private to the
 * package.
 */

import type { DataArray, DType } from "@nonlin/core";
import { viewOf } from "../_blocks.ts";

/**
 * The size a buffer of `bytes` is allocated with: rounded up to an eighth of its power of two
 * (12.5% more at most), so that slightly larger runs later still fit.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 4096) return 4096;
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / step) * step;
}

/** The staging buffers of one pool. */
export class SharedBuffers {
  #idle: SharedArrayBuffer[] = [];
  #closed = false;
  #allocated = 0;

  /** Bytes of every buffer allocated so far and not let go by `clear()`. */
  get allocatedBytes(): number {
    return this.#allocated;
  }

  /** Bytes of the buffers not in use. */
  get idleBytes(): number {
    return this.#idle.reduce((sum, b) => sum + b.byteLength, 0);
  }

  /** A lease for one run: what it takes is given back together by `release()`. */
  lease(): Lease {
    return new Lease(this);
  }

  /** The smallest idle buffer of at least `bytes`, or a new one. */
  take(bytes: number): SharedArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.#idle.length; i++) {
      const size = this.#idle[i].byteLength;
      if (size >= bytes && (best < 0 || size < this.#idle[best].byteLength)) best = i;
    }
    if (best >= 0) return this.#idle.splice(best, 1)[0];
    const buffer = new SharedArrayBuffer(sizeClass(bytes));
    if (!this.#closed) this.#allocated += buffer.byteLength;
    return buffer;
  }

  /** Keeps `buffer` for a later run (after `clear()`, lets it go). */
  give(buffer: SharedArrayBuffer): void {
    if (!this.#closed) this.#idle.push(buffer);
  }

  /** Lets every buffer go, and those given back later too. */
  clear(): void {
    this.#closed = true;
    this.#idle = [];
    this.#allocated = 0;
  }
}

/** The staging buffers one run took. */
export class Lease {
  readonly #buffers: SharedBuffers;
  readonly #taken: SharedArrayBuffer[] = [];

  constructor(buffers: SharedBuffers) {
    this.#buffers = buffers;
  }

  /** A shared array of `length` elements of `dtype`, on a recycled buffer if one fits. */
  take(dtype: DType, length: number): DataArray {
    const bytes = length * (dtype === "float64" ? 8 : 4);
    const buffer = this.#buffers.take(bytes);
    this.#taken.push(buffer);
    return viewOf(dtype, buffer, 0, length);
  }

  /** Gives every buffer back; call it only once no thread can touch them any more. */
  release(): void {
    for (const buffer of this.#taken.splice(0)) this.#buffers.give(buffer);
  }
}
