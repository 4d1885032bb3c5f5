/**
 * A dataset run: the files of a shard sorted into complete and to compute, then computed a few
 * at a time, each under its output's lock, with files held by another run left for last and
 * waited for. Private to the package; `batch.ts` is its public face.
 *
 * @module
 */

import { dirname } from "node:path";
import type { ActivationInfo, AnyOptions } from "@nonlin/core";
import type { WorkerPool } from "../pool.ts";
import { applyAtomically, type AtomicResult } from "./atomic.ts";
import type { InputFile } from "./inputs.ts";
import { type Lock, LockWatcher, tryLock } from "./lock.ts";
import { readRecord, type Recipe, recordPath, whyIncomplete, writeRecord } from "./record.ts";
import type { FileReport } from "./report.ts";
import { HOST } from "./host.ts";
import { type Listing, removeStaleTemporaries } from "./temp.ts";

/** How often files held by another run are looked at again. */
const POLL_MS = 200;

/** Everything a run's files share. */
export interface RunContext {
  readonly entry: ActivationInfo;
  readonly recipe: Recipe;
  /** The options as given to core. */
  readonly options: AnyOptions;
  readonly force: boolean;
  readonly chunkBytes: number;
  readonly concurrency: number;
  readonly lockTimeoutMs: number;
  readonly createFolders: boolean;
  /** Each output folder's names, read once for stale temporary files. */
  readonly listing: Listing;
  readonly signal: AbortSignal | undefined;
  /** The pool, started at the first file that needs it. */
  readonly pool: () => WorkerPool;
  /** Called as bytes of a file are written (data bytes so far) and when a file settles. */
  readonly onBytes: (job: Job, done: number) => void;
  readonly onSettled: (job: Job) => void;
}

/** One file to compute, and its entry in the report (updated in place). */
export interface Job {
  readonly file: InputFile;
  readonly out: string;
  readonly report: FileReport;
}

/** Runs `f` over `items` with at most `limit` at once. */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  f: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Whether `out` is complete for this run's recipe and `input`: the reason it is not, or
 * undefined when it is.
 */
export async function checkComplete(
  recipe: Recipe,
  input: string,
  out: string,
): Promise<string | undefined> {
  const [inputInfo, outputInfo, record] = await Promise.all([
    Deno.stat(input),
    Deno.stat(out).catch(() => undefined),
    readRecord(out),
  ]);
  return whyIncomplete(record, recipe, inputInfo, outputInfo);
}

function fail(job: Job, error: unknown): void {
  job.report.status = "failed";
  job.report.error = error instanceof Error ? error.message : String(error);
  job.report.errorName = error instanceof Error ? error.name : typeof error;
}

/**
 * Computes one file under its output's lock: `"busy"` when another run holds it. The output is
 * looked at again once the lock is held, since that other run may just have finished it.
 */
async function runJob(ctx: RunContext, job: Job): Promise<"busy" | void> {
  const { report } = job;
  let lock: Lock | undefined;
  try {
    if (ctx.createFolders) await Deno.mkdir(dirname(job.out), { recursive: true });
    lock = await tryLock(job.out);
  } catch (error) {
    return fail(job, error); // an unwritable or clashing folder
  }
  if (lock === undefined) return "busy";
  const start = performance.now();
  try {
    if (!ctx.force && (await checkComplete(ctx.recipe, job.file.path, job.out)) === undefined) {
      report.status = "skipped";
      report.reason = "completed by another run";
      return;
    }
    // Every run takes the lock before writing, so other temporary files are a killed run's.
    await removeStaleTemporaries(recordPath(job.out), "others", ctx.listing);
    const result = await applyAtomically(ctx.entry, job.file.path, job.out, {
      options: ctx.options,
      pool: ctx.pool(),
      chunkBytes: ctx.chunkBytes,
      onProgress: (p) => ctx.onBytes(job, p.done),
      signal: ctx.signal,
      stale: "others",
      listing: ctx.listing,
      checksum: true,
    });
    await recordDone(ctx, job, result, start);
  } catch (error) {
    if (ctx.signal?.aborted) report.status = "interrupted";
    else fail(job, error);
  } finally {
    await lock.release();
  }
}

/** Writes the completion record of a file just computed, and its entry in the report. */
async function recordDone(
  ctx: RunContext,
  job: Job,
  result: AtomicResult,
  start: number,
): Promise<void> {
  const outInfo = await Deno.stat(job.out);
  const { shape, dtype, sha256 } = result;
  await writeRecord(job.out, {
    format: 1,
    ...ctx.recipe,
    input: result.input,
    output: {
      size: outInfo.size,
      mtimeMs: outInfo.mtime?.getTime() ?? 0,
      shape,
      dtype,
      sha256: sha256!,
    },
    finished: new Date().toISOString(),
    host: HOST,
  });
  Object.assign(job.report, {
    status: "done",
    bytes: result.input.size,
    shape,
    dtype,
    outputBytes: outInfo.size,
    sha256,
    seconds: (performance.now() - start) / 1000,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Computes `jobs`, `ctx.concurrency` at a time. A file whose lock another run holds is put
 * aside; once nothing else is left, those are looked at every {@linkcode POLL_MS} until their
 * holder finishes them (they are then skipped), or releases or is found dead (they are computed).
 */
export async function runJobs(ctx: RunContext, jobs: readonly Job[]): Promise<void> {
  const queue = [...jobs], waiting: Job[] = [];
  const watcher = new LockWatcher(ctx.lockTimeoutMs);
  const worker = async () => {
    while (!ctx.signal?.aborted) {
      const job = queue.shift();
      if (job !== undefined) {
        if ((await runJob(ctx, job)) === "busy") waiting.push(job);
        else ctx.onSettled(job);
        continue;
      }
      const held = waiting.shift();
      if (held === undefined) return;
      if ((await watcher.check(held.out)) === "free") queue.push(held);
      else {
        waiting.push(held);
        await sleep(POLL_MS / Math.max(1, waiting.length), ctx.signal);
      }
    }
  };
  await Promise.all(Array.from({ length: ctx.concurrency }, worker));
  for (const job of [...queue, ...waiting]) {
    job.report.status = "interrupted";
  }
}
