/**
 * Applies an activation to a dataset: a folder of `.npy` shards (searched recursively), a glob,
 * or one file, written to a mirror of it. Runs are deterministic parts of the dataset
 * (`shard: { index, count }`, by a stable hash of each file's relative path), resumable (an
 * output whose completion record matches is skipped), safe to run twice at once (one lock per
 * output, atomic writes), and keep going past a bad file, reporting it. Deno only.
 *
 * Made for schedulers that retry and preempt: a Kubernetes Indexed Job, a Slurm job array or
 * GNU parallel. See `docs/batch.md` in the repository for their scripts.
 *
 * ```ts
 * import { applyDataset } from "@nonlin/workers/batch";
 * import { encodeNpy } from "@nonlin/workers";
 * import { randn } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/in/a`, { recursive: true });
 * await Deno.writeFile(`${dir}/in/a/x.npy`, encodeNpy(randn([4, 3], { seed: 1 })));
 * await Deno.writeFile(`${dir}/in/y.npy`, encodeNpy(randn([5], { seed: 2 })));
 * const report = await applyDataset("gelu", `${dir}/in`, `${dir}/out`, { workers: 1 });
 * assert.equal(report.totals.done, 2);
 * const again = await applyDataset("gelu", `${dir}/in`, `${dir}/out`, { workers: 1 });
 * assert.equal(again.totals.skipped, 2);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type ActivationInfo, type AnyOptions, getActivation } from "@nonlin/core";
import { notAnObject } from "./_errors.ts";
import { checkCount } from "./_options.ts";
import { findInputs, type InputFile, type Inputs, outputPath } from "./_batch/inputs.ts";
import { type Recipe, VERSION } from "./_batch/record.ts";
import { type BatchReport, type FileReport, totalsOf } from "./_batch/report.ts";
import { checkComplete, forEachLimit, type Job, type RunContext, runJobs } from "./_batch/run.ts";
import { checkShard, type Shard, shardOf } from "./_batch/shard.ts";
import { cachedListing, checkOutputPath } from "./_batch/temp.ts";
import { verifyFile } from "./_batch/verify.ts";
import { checkLittleEndian } from "./npy.ts";
import { WorkerPool } from "./pool.ts";

export type { BatchReport, BatchTotals, FileReport, FileStatus } from "./_batch/report.ts";
export { formatSummary } from "./_batch/report.ts";
export { parseShard, type Shard, shardFromEnv, shardOf, SHARDS_ENV } from "./_batch/shard.ts";

/** How far a dataset run has got, over the files it computes (skipped ones aside). */
export interface BatchProgress {
  /** Files settled (done, failed, or found complete after waiting for another run). */
  files: number;
  /** Files the run set out to compute. */
  totalFiles: number;
  /** Bytes of input processed. */
  bytes: number;
  /** Bytes of the inputs the run set out to compute. */
  totalBytes: number;
}

/** Options of {@linkcode verifyDataset}, and the shared part of {@linkcode ApplyDatasetOptions}. */
export interface DatasetOptions {
  /** The activation's options (`dim`, `approximate`, …), checked as core checks them. */
  options?: AnyOptions;
  /** The part of the dataset to work on. @default {{ index: 0, count: 1 }} */
  shard?: Shard;
  /**
   * Files worked on at once: their reads, writes and file-system round trips overlap, and they
   * share the pool. @default {4}
   */
  concurrency?: number;
}

/** Options of {@linkcode applyDataset}. */
export interface ApplyDatasetOptions extends DatasetOptions {
  /** Recompute outputs that are already complete. @default {false} */
  force?: boolean;
  /** Only sort the shard's files into complete and to compute; nothing is written. @default {false} */
  dryRun?: boolean;
  /** A pool to use; one of `workers` workers is started (and closed) otherwise. */
  pool?: WorkerPool;
  /** Workers of the pool started when `pool` is absent. @default {navigator.hardwareConcurrency} */
  workers?: number;
  /**
   * Bytes of input per chunk of a file (see `applyNpy`). By default the 32 MiB of a single file
   * are shared by the files in flight (8 MiB each for 4, never under 1 MiB), so that memory stays
   * near 200 MiB whatever `concurrency` is. @default {max(1 MiB, 32 MiB / concurrency)}
   */
  chunkBytes?: number;
  /**
   * How long a lock held by another run may stay untouched (its holder refreshes it every 2 s)
   * before this run decides that holder is dead and takes the file over. @default {30000}
   */
  lockTimeoutMs?: number;
  /** Called as bytes are written and files settle. */
  onProgress?: (progress: BatchProgress) => void;
  /**
   * Stops the run: files being written are abandoned (their temporary files and locks removed)
   * and the report comes back with `interrupted: true`.
   */
  signal?: AbortSignal;
}

/** What both modes need: the op, the recipe, the shard's files and their reports. */
interface Prepared {
  entry: ActivationInfo;
  options: AnyOptions;
  recipe: Recipe;
  inputs: Inputs;
  shard: Shard;
  selected: { file: InputFile; out: string; report: FileReport }[];
  report: BatchReport;
  started: number;
}

/** The options with every default filled in and the keys sorted: what a record compares. */
function recipeOf(entry: ActivationInfo, options: AnyOptions): Recipe {
  const filled: AnyOptions = {};
  for (const spec of entry.options) {
    if (spec.default !== undefined) filled[spec.name] = spec.default;
  }
  Object.assign(filled, options);
  const sorted = Object.fromEntries(Object.keys(filled).sort().map((k) => [k, filled[k]]));
  return { op: entry.name, options: sorted, version: VERSION };
}

async function prepare(
  op: string,
  input: string | URL,
  output: string | URL,
  o: DatasetOptions,
  mode: BatchReport["mode"],
): Promise<Prepared> {
  const entry = getActivation(op);
  const options = o.options ?? {};
  if (options === null || typeof options !== "object") throw notAnObject(`call ${mode}`, options);
  const shard = checkShard(o.shard ?? { index: 0, count: 1 });
  checkLittleEndian();
  const inPath = input instanceof URL ? fileURLToPath(input) : input;
  const outPath = output instanceof URL ? fileURLToPath(output) : output;
  const inputs = await findInputs(inPath, outPath);
  if (inputs.kind === "file" && mode === "apply") await checkOutputPath(outPath);
  if (inputs.kind === "dataset") {
    const info = await Deno.stat(outPath).catch(() => undefined);
    if (info !== undefined && !info.isDirectory) {
      throw new Deno.errors.NotADirectory(
        `Cannot write a dataset to ${outPath}: it is a file, expected a folder`,
      );
    }
  }
  const recipe = recipeOf(entry, options);
  const selected = inputs.files.filter((f) => shardOf(f.rel, shard.count) === shard.index)
    .map((file) => {
      const out = outputPath(inputs, file, outPath);
      const report: FileReport = { input: file.rel, output: out, status: "pending", bytes: 0 };
      return { file, out, report };
    });
  const report: BatchReport = {
    nonlin: VERSION,
    mode,
    kind: inputs.kind,
    op: entry.name,
    options: recipe.options,
    input: inPath,
    output: outPath,
    shard,
    started: new Date().toISOString(),
    seconds: 0,
    interrupted: false,
    totals: totalsOf([]),
    files: selected.map((s) => s.report),
  };
  return { entry, options, recipe, inputs, shard, selected, report, started: performance.now() };
}

function finish(p: Prepared, interrupted: boolean): BatchReport {
  p.report.seconds = (performance.now() - p.started) / 1000;
  p.report.interrupted = interrupted;
  p.report.totals = totalsOf(p.report.files);
  return p.report;
}

/** Sorts the shard's files into complete (skipped) and to compute, in path order. */
async function sortOut(p: Prepared, force: boolean, concurrency: number): Promise<Job[]> {
  // Many at once: on a shared file system each look is a round trip to the server.
  await forEachLimit(p.selected, Math.max(16, concurrency), async ({ file, out, report }) => {
    try {
      report.bytes = (await Deno.stat(file.path)).size;
      const why = force ? "--force" : await checkComplete(p.recipe, file.path, out);
      report.status = why === undefined ? "skipped" : "pending";
      report.reason = why ?? "complete";
    } catch (error) {
      report.status = "failed";
      report.error = error instanceof Error ? error.message : String(error);
      report.errorName = error instanceof Error ? error.name : typeof error;
    }
  });
  return p.selected.filter((s) => s.report.status === "pending");
}

function checkApplyOptions(o: ApplyDatasetOptions): void {
  if (o === null || typeof o !== "object") throw notAnObject("call applyDataset()", o);
  checkCount(o.chunkBytes ?? 1, "chunkBytes", 1);
  checkCount(o.concurrency ?? 1, "concurrency", 1);
  checkCount(o.lockTimeoutMs ?? 0, "lockTimeoutMs", 0);
  if (o.workers !== undefined) checkCount(o.workers, "workers", 1);
}

/**
 * Applies the activation `op` to every `.npy` file of `input` that falls in `options.shard`, and
 * writes each to the same relative path under the folder `output` (created as needed). `input`
 * is a folder (searched recursively; hidden files and folders are skipped), a glob such as
 * `data/**\/*.npy`, or one file, whose output `output` then is.
 *
 * Each output is written through a temporary file and renamed, under a lock beside it
 * (`.name.npy.lock`), then described by a completion record (`.name.npy.nonlin.json`: op, options,
 * nonlin version, the input's size and modification time, the output's size, shape and SHA-256).
 * An output whose record matches is skipped unless `force`; one locked by another run is left
 * for last and waited for. Temporary files and locks that killed runs left are removed. A file
 * that fails is reported and the others go on; the promise rejects only for bad arguments.
 *
 * @example Usage
 * ```ts
 * import { applyDataset } from "@nonlin/workers/batch";
 * import { encodeNpy } from "@nonlin/workers";
 * import { randn } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/in`);
 * for (let k = 0; k < 4; k++) {
 *   await Deno.writeFile(`${dir}/in/${k}.npy`, encodeNpy(randn([8], { seed: k })));
 * }
 * // Two runs, as two machines would run them, cover every file once.
 * const done = [];
 * for (const index of [0, 1]) {
 *   const r = await applyDataset("relu", `${dir}/in`, `${dir}/out`, {
 *     shard: { index, count: 2 },
 *     workers: 1,
 *   });
 *   done.push(...r.files.map((f) => f.input));
 * }
 * assert.deepEqual(done.sort(), ["0.npy", "1.npy", "2.npy", "3.npy"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function applyDataset(
  op: string,
  input: string | URL,
  output: string | URL,
  options: ApplyDatasetOptions = {},
): Promise<BatchReport> {
  checkApplyOptions(options);
  const { force = false, dryRun = false, concurrency = 4, signal } = options;
  signal?.throwIfAborted();
  const p = await prepare(op, input, output, options, dryRun ? "dry-run" : "apply");
  const jobs = await sortOut(p, force, concurrency);
  if (dryRun) return finish(p, false);
  if (p.inputs.kind === "dataset") await Deno.mkdir(p.report.output, { recursive: true });
  let pool: WorkerPool | undefined;
  const ctx: RunContext = {
    entry: p.entry,
    recipe: p.recipe,
    options: p.options,
    force,
    chunkBytes: options.chunkBytes ?? Math.max(1 << 20, Math.floor((32 << 20) / concurrency)),
    concurrency,
    lockTimeoutMs: options.lockTimeoutMs ?? 30_000,
    createFolders: p.inputs.kind === "dataset",
    listing: cachedListing(),
    signal,
    pool: () =>
      pool ??= options.pool ??
        new WorkerPool(options.workers === undefined ? {} : { size: options.workers }),
    ...progressOf(jobs, options.onProgress),
  };
  try {
    await runJobs(ctx, jobs);
  } finally {
    if (pool !== undefined && options.pool === undefined) {
      if (signal?.aborted) pool.destroy();
      else await pool.close();
    }
  }
  return finish(p, signal?.aborted ?? false);
}

/** The progress callbacks of a run over `jobs`, adding up whole files and files in flight. */
function progressOf(
  jobs: readonly Job[],
  onProgress: ((progress: BatchProgress) => void) | undefined,
): Pick<RunContext, "onBytes" | "onSettled"> {
  const totalBytes = jobs.reduce((sum, j) => sum + j.report.bytes, 0);
  const inFlight = new Map<Job, number>();
  let files = 0, settled = 0;
  const emit = () => {
    let bytes = settled;
    for (const b of inFlight.values()) bytes += b;
    onProgress?.({ files, totalFiles: jobs.length, bytes, totalBytes });
  };
  return {
    onBytes(job, done) {
      inFlight.set(job, done);
      emit();
    },
    onSettled(job) {
      inFlight.delete(job);
      files++;
      settled += job.report.bytes; // the header too: the total counts whole files
      emit();
    },
  };
}

/**
 * Checks a finished dataset without computing anything: for every file of `options.shard`, its
 * output exists, its completion record matches this op, these options, this nonlin version and
 * the input as it is now, its shape and dtype are what the input gives, and its SHA-256 is the
 * one recorded. Files that pass are `verified`, the others `failed` with the reason.
 *
 * @example Usage
 * ```ts
 * import { applyDataset, verifyDataset } from "@nonlin/workers/batch";
 * import { encodeNpy } from "@nonlin/workers";
 * import { randn } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/in`);
 * await Deno.writeFile(`${dir}/in/x.npy`, encodeNpy(randn([6, 4], { seed: 1 })));
 * await applyDataset("softmax", `${dir}/in`, `${dir}/out`, { workers: 1 });
 * const ok = await verifyDataset("softmax", `${dir}/in`, `${dir}/out`);
 * assert.equal(ok.totals.verified, 1);
 * const other = await verifyDataset("softmax", `${dir}/in`, `${dir}/out`, { options: { dim: 0 } });
 * assert.match(other.files[0].reason!, /made with options/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function verifyDataset(
  op: string,
  input: string | URL,
  output: string | URL,
  options: DatasetOptions = {},
): Promise<BatchReport> {
  if (options === null || typeof options !== "object") {
    throw notAnObject("call verifyDataset()", options);
  }
  const concurrency = checkCount(options.concurrency ?? 4, "concurrency", 1);
  const p = await prepare(op, input, output, options, "verify");
  await forEachLimit(p.selected, concurrency, async ({ file, out, report }) => {
    report.bytes = await Deno.stat(file.path).then((i) => i.size, () => 0);
    await verifyFile(p.entry, p.recipe, p.options, file.path, out, report);
  });
  return finish(p, false);
}
