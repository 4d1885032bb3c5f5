/**
 * Streaming one `.npy` file through the pool: its header checked against its size, and its data
 * read, computed and written in chunks of whole slices. Private to the package; `applyNpy` and the
 * dataset command both write through {@linkcode streamNpy}.
 *
 * @module
 */

import {
  type ActivationInfo,
  type AnyOptions,
  type DataArray,
  type DType,
  Tensor,
} from "@nonlin/core";
import { allocate, sizeOf } from "@nonlin/core/internal";
import { type Block, blockShape, blockSize, type Geometry, geometryOf } from "../_blocks.ts";
import { newSharedArray } from "../_engine/buffers.ts";
import { type Plan, planFor } from "../_plan.ts";
import {
  encodeNpyHeader,
  itemSize,
  NPY_PREFIX_LENGTH,
  type NpyHeader,
  npyHeaderLength,
  parseNpyHeader,
} from "../npy.ts";
import type { WorkerPool } from "../pool.ts";

/** How far a stream has got, in bytes of input data. */
export interface StreamProgress {
  done: number;
  total: number;
}

/** What a stream wrote. */
export interface StreamResult {
  shape: number[];
  dtype: DType;
  /** Bytes of input data processed. */
  bytes: number;
}

/** One file being streamed through the pool: its input, header, output, op and pool. */
export interface Stream {
  readonly entry: ActivationInfo;
  readonly options: AnyOptions;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: StreamProgress) => void) | undefined;
  readonly file: Deno.FsFile;
  readonly header: NpyHeader;
  readonly out: Deno.FsFile;
  readonly pool: WorkerPool;
  readonly chunkBytes: number;
}

/** One chunk: a block of whole slices and where its elements sit in the input and output. */
interface Chunk {
  readonly block: Block;
  /** [element offset in the file's data, element count] runs, in the chunk's order. */
  readonly input: [number, number][];
  readonly output: [number, number][];
}

/**
 * The chunks of a tensor for an op keeping slices along `g.dim` whole. Whole outer rows are
 * taken while a row fits in a chunk: contiguous reads and writes. A single row larger than a
 * chunk (a reduction along dim 0 of a tall array, say) is cut along the inner indices instead,
 * each chunk then reading and writing `mid` strided runs, one per position along `dim`.
 */
function* chunksOf(g: Geometry, mid: number, yMid: number, chunkElems: number): Generator<Chunk> {
  const row = mid * g.inner;
  if (row <= chunkElems || g.inner === 1) {
    const rows = Math.max(1, Math.floor(chunkElems / Math.max(row, 1)));
    for (let o0 = 0; o0 < g.outer; o0 += rows) {
      const o1 = Math.min(g.outer, o0 + rows);
      yield {
        block: { o0, o1, i0: 0, i1: g.inner },
        input: [[o0 * row, (o1 - o0) * row]],
        output: [[o0 * yMid * g.inner, (o1 - o0) * yMid * g.inner]],
      };
    }
    return;
  }
  const width = Math.max(1, Math.floor(chunkElems / mid));
  for (let o = 0; o < g.outer; o++) {
    for (let i0 = 0; i0 < g.inner; i0 += width) {
      const i1 = Math.min(g.inner, i0 + width);
      const runs = (m: number): [number, number][] =>
        Array.from({ length: m }, (_, j) => [(o * m + j) * g.inner + i0, i1 - i0]);
      yield { block: { o0: o, o1: o + 1, i0, i1 }, input: runs(mid), output: runs(yMid) };
    }
  }
}

/** Reads `into.length` bytes at `position`; a file that ends first is a truncated `.npy`. */
export async function readFully(
  file: Deno.FsFile,
  position: number,
  into: Uint8Array,
): Promise<void> {
  await file.seek(position, Deno.SeekMode.Start);
  let done = 0;
  while (done < into.length) {
    const n = await file.read(into.subarray(done));
    if (n === null) {
      throw new RangeError(`Cannot read .npy: the file ended at byte ${position + done}`);
    }
    done += n;
  }
}

async function writeFully(file: Deno.FsFile, position: number, from: Uint8Array): Promise<void> {
  await file.seek(position, Deno.SeekMode.Start);
  let done = 0;
  while (done < from.length) done += await file.write(from.subarray(done));
}

function bytesOf(data: DataArray, start = 0, length = data.length - start): Uint8Array {
  const size = data.BYTES_PER_ELEMENT;
  return new Uint8Array(data.buffer, data.byteOffset + start * size, length * size);
}

/** Reads and checks the header: its data must be exactly what the shape and dtype say. */
export async function readHeader(file: Deno.FsFile): Promise<NpyHeader> {
  const prefix = new Uint8Array(NPY_PREFIX_LENGTH);
  await file.seek(0, Deno.SeekMode.Start);
  const got = (await file.read(prefix)) ?? 0;
  const headerBytes = new Uint8Array(npyHeaderLength(prefix.subarray(0, got)));
  await readFully(file, 0, headerBytes).catch(() => {
    throw new SyntaxError(`Cannot read .npy: the file ends inside its header`);
  });
  const header = parseNpyHeader(headerBytes);
  const expected = sizeOf(header.shape) * itemSize(header.dtype);
  const { size } = await file.stat();
  if (size !== header.dataOffset + expected) {
    throw new RangeError(
      `Cannot read .npy of shape (${header.shape.join(", ")}): it has ${
        size - header.dataOffset
      } bytes of data, expected ${expected}`,
    );
  }
  return header;
}

/**
 * The plan for a file, or undefined when it must be read whole. An array that cannot be cut has
 * its options checked on one row first (every dim but the first kept), so that core's error comes
 * before the whole array is read.
 */
export function planFile(
  entry: ActivationInfo,
  header: NpyHeader,
  options: AnyOptions,
): Plan | undefined {
  const plan = planFor(entry, header.shape, header.dtype, options, "forward");
  if (plan === undefined && sizeOf(header.shape) > 0) {
    const row = [1, ...header.shape.slice(1)];
    entry.forward(new Tensor(allocate(header.dtype, sizeOf(row)), row), options);
  }
  return plan;
}

/** Streams `s.file` into `s.out`, in chunks when `plan` allows, whole otherwise. */
export function streamNpy(s: Stream, plan: Plan | undefined): Promise<StreamResult> {
  return plan === undefined || sizeOf(s.header.shape) === 0
    ? applyWhole(s)
    : applyInChunks(s, plan);
}

/**
 * Nothing to cut by (a position-dependent call, or options core will refuse): the op sees the
 * whole array, which must then fit in memory.
 */
async function applyWhole(s: Stream): Promise<StreamResult> {
  const { dtype, shape, dataOffset } = s.header;
  const data = newSharedArray(dtype, sizeOf(shape));
  await readFully(s.file, dataOffset, bytesOf(data));
  const x = new Tensor(data, shape);
  const y = await s.pool.run(s.entry.name, x, { ...s.options, signal: s.signal });
  const yHeader = encodeNpyHeader({ dtype: y.dtype, shape: y.shape });
  await writeFully(s.out, 0, yHeader);
  await writeFully(s.out, yHeader.length, bytesOf(y.data));
  const total = data.length * itemSize(dtype);
  s.onProgress?.({ done: total, total });
  return { shape: [...y.shape], dtype: y.dtype, bytes: total };
}

/** Reads chunk `chunk`'s runs of input into `buffer`; returns the part it filled. */
async function readChunk(s: Stream, chunk: Chunk, buffer: DataArray): Promise<DataArray> {
  const item = itemSize(s.header.dtype);
  let at = 0;
  for (const [start, length] of chunk.input) {
    await readFully(s.file, s.header.dataOffset + start * item, bytesOf(buffer, at, length));
    at += length;
  }
  return buffer.subarray(0, at);
}

/** Writes a chunk's result `y` to its runs of the output, after a header of `offset` bytes. */
async function writeChunk(s: Stream, chunk: Chunk, y: DataArray, offset: number): Promise<void> {
  const item = itemSize(s.header.dtype);
  let at = 0;
  for (const [start, length] of chunk.output) {
    await writeFully(s.out, offset + start * item, bytesOf(y, at, length));
    at += length;
  }
}

/**
 * Streams the array through the pool in chunks of whole slices, each computed while the next
 * is read and the previous written: two buffers each way, one filled or drained by I/O while
 * the pool uses the other.
 */
async function applyInChunks(s: Stream, plan: Plan): Promise<StreamResult> {
  const { dtype, shape } = s.header;
  const item = itemSize(dtype);
  const yHeader = encodeNpyHeader({ dtype: plan.dtype, shape: plan.shape });
  await writeFully(s.out, 0, yHeader);
  const g = geometryOf(shape, plan.dim);
  const mid = plan.dim < 0 ? 1 : shape[plan.dim];
  const chunks = [...chunksOf(g, mid, plan.mid, Math.max(1, Math.floor(s.chunkBytes / item)))];
  const capacity = Math.max(...chunks.map((c) => blockSize(c.block, mid)));
  const outCapacity = Math.max(...chunks.map((c) => blockSize(c.block, plan.mid)));
  // Shared memory that V8 collects as it would ArrayBuffers, once the file is done: left to
  // plain SharedArrayBuffers, a dataset's files would pile up their buffers (see newShared).
  const xs = [0, 1].map(() => newSharedArray(dtype, capacity));
  const ys = [0, 1].map(() => newSharedArray(plan.dtype, outCapacity));
  const total = sizeOf(shape) * item;
  let done = 0;
  let writing: Promise<void> = Promise.resolve();
  let next = readChunk(s, chunks[0], xs[0]);
  next.catch(() => {}); // seen when awaited; an abort before then must not leave it unhandled
  for (let k = 0; k < chunks.length; k++) {
    s.signal?.throwIfAborted();
    const x = await next;
    if (k + 1 < chunks.length) {
      next = readChunk(s, chunks[k + 1], xs[(k + 1) % 2]);
      next.catch(() => {});
    }
    const { block } = chunks[k];
    const xt = new Tensor(x, blockShape(shape, g, block, mid));
    const yShape = blockShape(shape, g, block, plan.mid);
    const target = new Tensor(ys[k % 2].subarray(0, blockSize(block, plan.mid)), yShape);
    const y = await s.pool.run(
      s.entry.name,
      xt,
      plan.acceptsOut
        ? { ...s.options, out: target, signal: s.signal }
        : { ...s.options, signal: s.signal },
    );
    await writing;
    const bytes = x.length * item;
    writing = writeChunk(s, chunks[k], y.data, yHeader.length).then(() => {
      done += bytes;
      s.onProgress?.({ done, total });
    });
    writing.catch(() => {}); // awaited below; until then a failure is not unhandled
  }
  await writing;
  return { shape: [...plan.shape], dtype: plan.dtype, bytes: total };
}
