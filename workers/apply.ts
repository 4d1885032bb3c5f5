/**
 * Applies an activation to a `.npy` file, streaming it through a worker pool: files larger than
 * memory work, and the output appears atomically. Deno only (it reads and writes files).
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import {
  type ActivationInfo,
  type AnyOptions,
  type DataArray,
  type DType,
  getActivation,
  Tensor,
} from "@nonlin/core";
import { allocate, sizeOf } from "@nonlin/core/internal";
import { type Block, blockShape, blockSize, type Geometry, geometryOf } from "./_blocks.ts";
import { notAnObject } from "./_errors.ts";
import { checkCount } from "./_options.ts";
import { type Plan, planFor } from "./_plan.ts";
import {
  checkLittleEndian,
  encodeNpyHeader,
  itemSize,
  NPY_PREFIX_LENGTH,
  type NpyHeader,
  npyHeaderLength,
  parseNpyHeader,
} from "./npy.ts";
import { WorkerPool } from "./pool.ts";

/** How far a streaming run has got. */
export interface ApplyProgress {
  /** Bytes of input data processed and written out. */
  done: number;
  /** Bytes of input data in all. */
  total: number;
}

/** Options of {@linkcode applyNpy}. */
export interface ApplyNpyOptions {
  /** The activation's options (`dim`, `approximate`, …), checked as core checks them. */
  options?: AnyOptions;
  /** A pool to use; one of `workers` workers is started (and closed) otherwise. */
  pool?: WorkerPool;
  /** Workers of the pool started when `pool` is absent. @default {navigator.hardwareConcurrency} */
  workers?: number;
  /**
   * Bytes of input per chunk. Four chunks are in memory at once (two read ahead or computing,
   * two being written), so 32 MiB keeps the whole process near 200 MiB. A chunk never splits a
   * slice, so it grows to one slice when a slice is larger. @default {33554432}
   */
  chunkBytes?: number;
  /** Called after each chunk is written. */
  onProgress?: (progress: ApplyProgress) => void;
  /** Stops the run: the temporary file is removed and the promise rejects with the reason. */
  signal?: AbortSignal;
}

/** What {@linkcode applyNpy} wrote. */
export interface ApplyNpyResult {
  /** The output's shape. */
  shape: number[];
  /** The output's dtype (the input's). */
  dtype: DType;
  /** Bytes of input data processed. */
  bytes: number;
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

async function readFully(file: Deno.FsFile, position: number, into: Uint8Array): Promise<void> {
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

/**
 * Applies the activation `op` to the `.npy` file `input` and writes `output`, a `.npy` of the
 * same dtype that `numpy.load` reads.
 *
 * The file is streamed in chunks of whole slices: for a reduction along `dim`, a chunk holds
 * whole rows of the dims before `dim` (contiguous), or, when a single row is larger than a
 * chunk (dim 0 of a tall array), a range of the dims after `dim` read as one strided run per
 * position along `dim`, so no slice is ever split. While the pool computes one chunk the next
 * is read and the previous written. Calls that cannot be cut (PReLU with slopes per channel,
 * RReLU in training) read the array whole.
 *
 * The output is written to a temporary file beside it and renamed at the end, so a failure or an
 * abort never leaves a partial output (an existing output stays as it was).
 *
 * @example Usage
 * ```ts
 * import { applyNpy } from "@nonlin/workers/apply";
 * import { decodeNpy, encodeNpy } from "@nonlin/workers";
 * import { tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/in.npy`, encodeNpy(tensor([[1, 1], [-1000, 1000]])));
 * await applyNpy("softmax", `${dir}/in.npy`, `${dir}/out.npy`, { workers: 1 });
 * const y = decodeNpy(await Deno.readFile(`${dir}/out.npy`));
 * assert.deepEqual(y.toArray(), [[0.5, 0.5], [0, 1]]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function applyNpy(
  op: string,
  input: string | URL,
  output: string | URL,
  options: ApplyNpyOptions = {},
): Promise<ApplyNpyResult> {
  const entry = getActivation(op);
  const { options: opOptions = {}, chunkBytes = 32 << 20, onProgress, signal } = options;
  checkCount(chunkBytes, "chunkBytes", 1);
  if (opOptions === null || typeof opOptions !== "object") {
    throw notAnObject("call applyNpy()", opOptions);
  }
  checkLittleEndian();
  signal?.throwIfAborted();
  const outPath = output instanceof URL ? output.pathname : output;
  await checkOutputPath(outPath);
  const file = await Deno.open(input, { read: true });
  let tmp: string | undefined;
  let out: Deno.FsFile | undefined;
  let pool: WorkerPool | undefined;
  let ok = false;
  try {
    const header = await readHeader(file);
    const plan = planFor(entry, header.shape, header.dtype, opOptions, "forward");
    if (plan === undefined) checkOnOneRow(entry, header, opOptions);
    pool = options.pool ??
      new WorkerPool(options.workers === undefined ? {} : { size: options.workers });
    await removeStaleTemporaries(outPath);
    tmp = join(
      dirname(outPath),
      `${tempPrefix(outPath)}${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`,
    );
    out = await Deno.open(tmp, { write: true, createNew: true });
    const stream: Stream = { op, options: opOptions, signal, onProgress, file, header, out, pool };
    const result = plan === undefined || sizeOf(header.shape) === 0
      ? await applyWhole(stream)
      : await applyInChunks(stream, plan, chunkBytes);
    out.close();
    out = undefined;
    await Deno.rename(tmp, outPath);
    ok = true;
    return result;
  } finally {
    file.close();
    out?.close();
    if (!ok && tmp !== undefined) await Deno.remove(tmp).catch(() => {});
    if (pool !== undefined && options.pool === undefined) {
      if (ok) await pool.close();
      else pool.destroy();
    }
  }
}

/** One file being streamed through the pool: its input, header, output, op and pool. */
interface Stream {
  readonly op: string;
  readonly options: AnyOptions;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: ApplyProgress) => void) | undefined;
  readonly file: Deno.FsFile;
  readonly header: NpyHeader;
  readonly out: Deno.FsFile;
  readonly pool: WorkerPool;
}

/** Reads and checks the header: its data must be exactly what the shape and dtype say. */
async function readHeader(file: Deno.FsFile): Promise<NpyHeader> {
  const prefix = new Uint8Array(NPY_PREFIX_LENGTH);
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
 * An array that cannot be cut is read whole before the op runs: its options are checked on one
 * row first (every dim but the first kept), so that core's error comes before that.
 */
function checkOnOneRow(entry: ActivationInfo, header: NpyHeader, options: AnyOptions): void {
  if (sizeOf(header.shape) === 0) return;
  const row = [1, ...header.shape.slice(1)];
  entry.forward(new Tensor(allocate(header.dtype, sizeOf(row)), row), options);
}

/**
 * Nothing to cut by (a position-dependent call, or options core will refuse): the op sees the
 * whole array, which must then fit in memory.
 */
async function applyWhole(s: Stream): Promise<ApplyNpyResult> {
  const { dtype, shape, dataOffset } = s.header;
  const data = allocate(dtype, sizeOf(shape), true);
  await readFully(s.file, dataOffset, bytesOf(data));
  const y = await s.pool.run(s.op, new Tensor(data, shape), { ...s.options, signal: s.signal });
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
async function applyInChunks(s: Stream, plan: Plan, chunkBytes: number): Promise<ApplyNpyResult> {
  const { dtype, shape } = s.header;
  const item = itemSize(dtype);
  const yHeader = encodeNpyHeader({ dtype: plan.dtype, shape: plan.shape });
  await writeFully(s.out, 0, yHeader);
  const g = geometryOf(shape, plan.dim);
  const mid = plan.dim < 0 ? 1 : shape[plan.dim];
  const chunks = [...chunksOf(g, mid, plan.mid, Math.max(1, Math.floor(chunkBytes / item)))];
  const capacity = Math.max(...chunks.map((c) => blockSize(c.block, mid)));
  const outCapacity = Math.max(...chunks.map((c) => blockSize(c.block, plan.mid)));
  const xs = [0, 1].map(() => allocate(dtype, capacity, true));
  const ys = [0, 1].map(() => allocate(plan.dtype, outCapacity, true));
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
      s.op,
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

/** The prefix of this output's temporary files: `.out.npy.`, then the writer's pid. */
function tempPrefix(outPath: string): string {
  return `.${basename(outPath)}.`;
}

/**
 * Refuses an output path that cannot be written before any work is done: a folder, or a path
 * whose folder does not exist (named, rather than the temporary file's open failing later).
 */
async function checkOutputPath(outPath: string): Promise<void> {
  const folder = dirname(outPath);
  try {
    const info = await Deno.stat(folder);
    if (!info.isDirectory) {
      throw new Deno.errors.NotADirectory(`Cannot write ${outPath}: ${folder} is not a folder`);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `Cannot write ${outPath}: the folder ${folder} does not exist`,
      );
    }
    throw error;
  }
  try {
    if ((await Deno.stat(outPath)).isDirectory) {
      throw new Deno.errors.IsADirectory(`Cannot write ${outPath}: it is a folder`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Removes temporary files an earlier run left for this output when it was killed (SIGKILL, a
 * power cut): those whose writer's process no longer exists. A live writer's file is kept, so
 * two runs of the same output never delete each other's work. Where the process table cannot be
 * read (no /proc), only files untouched for an hour count as stale.
 */
async function removeStaleTemporaries(outPath: string): Promise<void> {
  const folder = dirname(outPath), prefix = tempPrefix(outPath);
  let hasProc = true;
  try {
    await Deno.stat("/proc/self");
  } catch {
    hasProc = false;
  }
  for await (const entry of Deno.readDir(folder)) {
    if (!entry.isFile || !entry.name.startsWith(prefix) || !entry.name.endsWith(".tmp")) continue;
    const pid = Number(entry.name.slice(prefix.length).split(".")[0]);
    const path = join(folder, entry.name);
    let stale: boolean;
    if (hasProc && Number.isInteger(pid) && pid > 0) {
      stale = pid !== Deno.pid && !(await exists(`/proc/${pid}`));
    } else {
      const info = await Deno.stat(path).catch(() => undefined);
      stale = info?.mtime !== null && info?.mtime !== undefined &&
        Date.now() - info.mtime.getTime() > 3_600_000;
    }
    if (stale) await Deno.remove(path).catch(() => {});
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
