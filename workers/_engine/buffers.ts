/**
 * Shared memory recycled across runs: the copy of an ordinary input in shared memory, the
 * shared output a run computes into before it is copied into an ordinary `out`, and the new
 * shared output of a run without `out` that was aborted or failed. A fresh SharedArrayBuffer
 * costs a page fault per 4 KiB on first touch (five times the copy itself on the machine this
 * was written on); a recycled one costs nothing, and the workers are shown the same few buffers
 * again and again rather than new ones.
 *
 * Recycling also keeps memory bounded, with {@linkcode newShared}: V8 does not count a
 * SharedArrayBuffer's memory as the calling thread's, so it does not collect sooner for them.
 * 1,000 aborted runs of 2M elements, each dropping a new 8 MB output, had up to 795 of them
 * alive at once; glibc served them from its heap (its mmap threshold rises to 8 MB once the
 * first such buffer is freed) and kept that heap once they were freed: 0.3-3.5 GB of RSS with
 * the pool open (up to 8 GB in other sessions), and up to 106 MiB after close.
 *
 * Buffers are kept for the pool's life: as many as the busiest moment needed at once (one or
 * two per run in flight, and an output), each taken by the smallest request it fits. `clear()`
 * (on close, once the workers are gone) lets them all go. No result handed to the caller is
 * one the pool keeps: the output of a run that completes leaves the pool with it, so a later
 * run cannot overwrite it. Private to the package.
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

/**
 * Each shared buffer's weight as V8 sees it: an ArrayBuffer of the same size that lives as long
 * as the buffer does (a WeakMap entry). V8 collects sooner as ordinary ArrayBuffers pile up
 * ("external memory pressure") but not for SharedArrayBuffers: 300 dropped buffers of 8 MB,
 * written, held 1.5 GB of RSS on the calling thread alone, and 130 MB with their weights. A
 * resizable ArrayBuffer is reserved and committed by V8's page allocator and never touched
 * here: it costs address space, never RSS nor malloc's heap.
 */
const weights = new WeakMap<SharedArrayBuffer, ArrayBuffer>();

/**
 * Whether buffers can be resizable here (ES2024: Deno, Node 20, current browsers). Where they
 * cannot, shared buffers are plain and carry no weight (a plain ArrayBuffer would be memory of
 * its own).
 */
const RESIZABLE = typeof ArrayBuffer.prototype.resize === "function";

/**
 * A new SharedArrayBuffer of `bytes` that gives its memory back to the system once collected,
 * and is collected as soon as an ArrayBuffer of its size would be, once dropped by the pool or
 * by the caller it was handed to.
 *
 * It is growable, to its own size only: V8 then takes it from its page allocator (a mapping of
 * its own, unmapped when it is freed) instead of malloc. glibc's malloc serves 8 MB buffers
 * from its heap once its mmap threshold has risen (it rises to the size of the largest mapped
 * block freed), and keeps what is freed in the middle of that heap: after a pool closed, its
 * freed buffers stayed in RSS (150-160 MiB after 1,000 aborted runs). A caller handed one sees
 * `growable` true and `maxByteLength` equal to its size; views of it work as on any
 * SharedArrayBuffer (core's kernels timed the same on both). The weight (see `weights`) makes
 * V8 collect it as soon as it would collect an ArrayBuffer of its size.
 */
export function newShared(bytes: number): SharedArrayBuffer {
  if (!RESIZABLE || bytes === 0) return new SharedArrayBuffer(bytes);
  const buffer = new SharedArrayBuffer(bytes, { maxByteLength: bytes });
  weights.set(buffer, new ArrayBuffer(bytes, { maxByteLength: bytes }));
  return buffer;
}

/**
 * A new shared array of `length` elements of `dtype` on {@linkcode newShared} memory: for
 * buffers that live beyond one run (the `.npy` command's double buffers, one set per file).
 */
export function newSharedArray(dtype: DType, length: number): DataArray {
  return viewOf(dtype, newShared(bytesOf(dtype, length)), 0, length);
}

/** Whether `buffer` weighs on V8's garbage collector (see {@linkcode newShared}). */
export function isWeighted(buffer: SharedArrayBuffer): boolean {
  return weights.has(buffer);
}

function bytesOf(dtype: DType, length: number): number {
  return length * (dtype === "float64" ? 8 : 4);
}

/** Outputs of runs that did not complete that a pool keeps at most for later results. */
export const MAX_IDLE_OUTPUTS = 16;

/** The recycled shared memory of one pool. */
export class SharedBuffers {
  /** Staging buffers not in use, of size classes. */
  #idle: SharedArrayBuffer[] = [];
  /** Outputs of runs that did not complete, of the exact size of their results. */
  #outputs: SharedArrayBuffer[] = [];
  #closed = false;
  #allocated = 0;

  /** Bytes of the buffers the pool holds, in use or not (not those handed to callers). */
  get allocatedBytes(): number {
    return this.#allocated;
  }

  /** Bytes of the buffers not in use. */
  get idleBytes(): number {
    return [...this.#idle, ...this.#outputs].reduce((sum, b) => sum + b.byteLength, 0);
  }

  /** A lease for one run: what it takes is given back together by `release()`. */
  lease(): Lease {
    return new Lease(this);
  }

  /** The smallest idle staging buffer of at least `bytes`, or a new one. */
  take(bytes: number): SharedArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.#idle.length; i++) {
      const size = this.#idle[i].byteLength;
      if (size >= bytes && (best < 0 || size < this.#idle[best].byteLength)) best = i;
    }
    if (best >= 0) return this.#idle.splice(best, 1)[0];
    return this.#allocate(sizeClass(bytes));
  }

  /**
   * A buffer of exactly `bytes` for a new result: the output of a run that did not complete,
   * or a new one. Exact, so that a result's buffer holds the result and nothing more.
   */
  takeOutput(bytes: number): SharedArrayBuffer {
    const i = this.#outputs.findIndex((b) => b.byteLength === bytes);
    if (i >= 0) return this.#outputs.splice(i, 1)[0];
    return this.#allocate(bytes);
  }

  /** Keeps `buffer` for a later run (after `clear()`, lets it go). */
  give(buffer: SharedArrayBuffer): void {
    if (!this.#closed) this.#idle.push(buffer);
  }

  /**
   * Keeps the output `buffer` of a run that did not complete for a later run's result: the
   * {@linkcode MAX_IDLE_OUTPUTS} latest, so that aborted runs of ever new sizes cannot pile up.
   */
  giveOutput(buffer: SharedArrayBuffer): void {
    if (this.#closed) return;
    this.#outputs.push(buffer);
    if (this.#outputs.length > MAX_IDLE_OUTPUTS) {
      // Dropped: weighted (see newShared), the collector frees it like an ArrayBuffer.
      this.#allocated -= this.#outputs.shift()!.byteLength;
    }
  }

  /** Forgets `buffer`, a result handed to the caller: it is the caller's from now on. */
  handOver(buffer: SharedArrayBuffer): void {
    if (!this.#closed) this.#allocated -= buffer.byteLength;
  }

  /** Lets every buffer go, and those given back later too. */
  clear(): void {
    this.#closed = true;
    this.#idle = [];
    this.#outputs = [];
    this.#allocated = 0;
  }

  #allocate(bytes: number): SharedArrayBuffer {
    const buffer = newShared(bytes);
    if (!this.#closed) this.#allocated += bytes;
    return buffer;
  }
}

/** The buffers one run took. */
export class Lease {
  readonly #buffers: SharedBuffers;
  readonly #taken: SharedArrayBuffer[] = [];
  #output?: SharedArrayBuffer;

  constructor(buffers: SharedBuffers) {
    this.#buffers = buffers;
  }

  /** A shared array of `length` elements of `dtype`, on a recycled buffer if one fits. */
  take(dtype: DType, length: number): DataArray {
    const buffer = this.#buffers.take(bytesOf(dtype, length));
    this.#taken.push(buffer);
    return viewOf(dtype, buffer, 0, length);
  }

  /**
   * The run's new result, `length` elements of `dtype` filling their buffer: a recycled output
   * of a run that did not complete, or new memory. It goes to the caller with `handOver()`, or
   * back to the pool with `release()`.
   */
  output(dtype: DType, length: number): DataArray {
    if (this.#output) throw new Error("A lease holds one output");
    this.#output = this.#buffers.takeOutput(bytesOf(dtype, length));
    return viewOf(dtype, this.#output, 0, length);
  }

  /** The run completed: its output is the caller's result, and never given back. */
  handOver(): void {
    if (this.#output) this.#buffers.handOver(this.#output);
    this.#output = undefined;
  }

  /**
   * Gives every buffer back, the output too unless it was handed over; call it only once no
   * thread can touch them any more.
   */
  release(): void {
    for (const buffer of this.#taken.splice(0)) this.#buffers.give(buffer);
    if (this.#output) this.#buffers.giveOutput(this.#output);
    this.#output = undefined;
  }
}
