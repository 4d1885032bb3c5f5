/**
 * One `.npy` file applied to one output atomically: streamed into a temporary file beside the
 * output, optionally checksummed, then renamed over it. Private to the package; `applyNpy` and
 * the dataset command both write through {@linkcode applyAtomically}.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { ActivationInfo, AnyOptions } from "@nonlin/core";
import type { WorkerPool } from "../pool.ts";
import {
  planFile,
  readHeader,
  streamNpy,
  type StreamProgress,
  type StreamResult,
} from "./stream.ts";
import { type Listing, removeStaleTemporaries, type StaleRule, tempPathFor } from "./temp.ts";

/** What {@linkcode applyAtomically} needs beyond the op, input and output. */
export interface AtomicOptions {
  readonly options: AnyOptions;
  readonly pool: WorkerPool;
  readonly chunkBytes: number;
  readonly onProgress?: ((progress: StreamProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Which temporary files of this output to remove first. */
  readonly stale: StaleRule;
  /** How to list the output's folder for stale temporary files. @default {a fresh look} */
  readonly listing?: Listing;
  /** Whether to compute the output's SHA-256 (read back from the temporary file). */
  readonly checksum: boolean;
}

/** What {@linkcode applyAtomically} wrote, and the input it read. */
export interface AtomicResult extends StreamResult {
  /** The input's size and modification time when it was opened (unchanged at the end). */
  input: { size: number; mtimeMs: number };
  /** The output's size in bytes. */
  outputBytes: number;
  /** The output's SHA-256 in hex, when asked for. */
  sha256?: string;
}

/**
 * Applies `entry` to `input` and writes `output` through a temporary file: a failure or an abort
 * never leaves a partial output, and an existing output stays as it was until the rename. An input
 * that changes while it is read fails the call rather than give an output of neither version.
 */
export async function applyAtomically(
  entry: ActivationInfo,
  input: string,
  output: string,
  o: AtomicOptions,
): Promise<AtomicResult> {
  const file = await Deno.open(input, { read: true });
  let tmp: string | undefined, out: Deno.FsFile | undefined, ok = false;
  try {
    const before = await file.stat();
    const header = await readHeader(file);
    const plan = planFile(entry, header, o.options);
    await removeStaleTemporaries(output, o.stale, o.listing);
    tmp = tempPathFor(output);
    out = await Deno.open(tmp, { write: true, createNew: true });
    const { options, pool, chunkBytes, onProgress, signal } = o;
    const stream = { entry, options, signal, onProgress, file, header, out, pool, chunkBytes };
    const result = await streamNpy(stream, plan);
    out.close();
    out = undefined;
    const after = await Deno.stat(input);
    if (after.size !== before.size || after.mtime?.getTime() !== before.mtime?.getTime()) {
      throw new Error(`Cannot use ${input}: it changed while it was read`);
    }
    const sha256 = o.checksum ? await sha256Of(tmp) : undefined;
    const { size: outputBytes } = await Deno.stat(tmp);
    signal?.throwIfAborted();
    await Deno.rename(tmp, output);
    ok = true;
    const inputInfo = { size: before.size, mtimeMs: before.mtime?.getTime() ?? 0 };
    return { ...result, input: inputInfo, outputBytes, ...(sha256 ? { sha256 } : {}) };
  } finally {
    file.close();
    out?.close();
    if (!ok && tmp !== undefined) await Deno.remove(tmp).catch(() => {});
  }
}

/** The SHA-256 of a file in hex, read in 1 MiB pieces. */
export async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(1 << 20);
  for (let n = await file.read(buffer); n !== null; n = await file.read(buffer)) {
    hash.update(buffer.subarray(0, n));
  }
  return hash.digest("hex");
}
