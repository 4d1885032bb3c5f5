/**
 * The abort soak of the worker pool: many gelu runs on an ordinary tensor, a few in flight at
 * once, each aborted after a random delay, then `close()` and a garbage collection; memory
 * (RSS, V8 heap and V8's external memory) is measured before, during and after. Every aborted
 * run must give back what it allocated, and its workers must stop at their next chunk instead
 * of being killed. With `--no-abort` every run completes instead and the soak drops its result
 * at once, as a caller that keeps nothing would.
 *
 *     deno run -A bench/pool_soak.ts [--runs 1000] [--elements 2000000] [--in-flight 10]
 *       [--max-delay 15] [--no-abort] [--json] [--write]
 *
 * The soak runs in child processes, twice: with glibc's default allocator, and with its mmap
 * threshold fixed at 128 KiB (`GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072`). Both must
 * give the same figures: the pool's buffers no longer go through malloc. `deno task soak:pool`
 * runs the full soak and writes `bench/results/pool_soak.json`; the workers' tests run reduced
 * ones (`--runs 200`, and `--runs 100 --no-abort`) and hold both allocators to the same bounds.
 *
 * What used to go wrong (issue #17), and why it does no more:
 *
 * - V8 does not count a SharedArrayBuffer's memory as the calling thread's, as it does an
 *   ArrayBuffer's, so it does not collect sooner for it: 300 written and dropped 8 MB
 *   SharedArrayBuffers, no pool involved, held 1.5 GB of RSS (ArrayBuffers: 118 MB, and V8
 *   logged 37 collections for "external memory pressure", against none). Each run without
 *   `out` had a new 8 MB output: traced with `strace` (`mmap`/`munmap` with the threshold at
 *   128 KiB), 1,000 aborted runs had up to 795 of those outputs alive at once, and 300 completed
 *   runs whose results were dropped had 308 of 310. Aborted outputs are mostly unwritten pages,
 *   which a mapping of their own keeps out of RSS: with the threshold at 128 KiB the abort
 *   storm peaked at 0.4 GB, and completed runs at 2.5 GB under either setting.
 * - glibc's default turned that pile into RSS that stayed: it raises its mmap threshold to the
 *   size of the largest mapped block freed (here once the first pool's buffers were freed), so
 *   every later 8 MB buffer came from its main heap (`brk`: 3 blocks mapped in a whole soak,
 *   the heap's high-water mark 6.0-6.4 GB), calloc clears a reused block (so all its pages count),
 *   and a freed block stays in the heap unless it lies at its top. `malloc_info` with the pool
 *   open after the soak and a collection: 3.7 of the main arena's 3.8 GB free, in 23 blocks.
 *   The threads' own arenas held 9 MiB at most: blocks freed on other threads go back to the
 *   arena they came from. So RSS with the pool open was 0.4-3.6 GB (up to 8 GB in other
 *   sessions) and, after close, up to 106 MiB above start whenever a block above them stayed.
 * - Now the output of an aborted run goes back to the pool and is the output of a later run
 *   (a completed run's output leaves the pool for good with its result); every shared buffer
 *   the pool allocates is growable to its own size only, which V8 takes from its page
 *   allocator (a mapping of its own, unmapped once freed) instead of malloc; and each carries
 *   a resizable ArrayBuffer of its size as V8 sees it, never written, so that V8 collects a
 *   dropped one as soon as it would an ArrayBuffer. See workers/_engine/buffers.ts.
 *
 * How memory is measured, so that what is left is what the runs kept:
 *
 * - `start` is taken once modules are loaded and compiled and a first pool has run and closed.
 * - Each sample follows six last-resort collections (`--v8-flags=--expose-gc`, `gc({ flavor:
 *   "last-resort" })`), the ones V8 makes under memory pressure: besides collecting garbage
 *   they shrink the young generation, which V8 grows under the soak's allocation rate (on the
 *   calling thread from 4 to 26 MiB after 3,000 runs) and a plain `gc()` leaves grown.
 * - `peak` is the most RSS seen after any run settled, with no collection forced: what a
 *   caller sees while the pool works.
 * - The child runs with `--v8-flags=--no-memory-pool-share-memory-on-teardown`. Without it, V8
 *   hands the heap pages of a worker's isolate, once the worker is terminated, to a task on
 *   another isolate that unmaps them some seconds later: right after `close()`, RSS still counts
 *   the workers' heaps (about 27 MiB of 256 KiB pages after 1,000 runs; 14-18 MiB in RSS). They
 *   go in time, and pool after pool leaves the same figure (eight pools of 300 aborts: RSS
 *   101.7, 102.2, 103.1, ... 103.3 MiB), so they are no leak, but when they go is not ours to
 *   wait for. The flag makes V8 unmap them when the worker ends.
 * - `midway` (after half the runs) and `open` (after all of them), both with the pool open,
 *   show whether anything grows with the number of runs: their difference per 100 runs is
 *   `growthPer100`. With the pool open RSS holds the pool's recycled buffers: for the abort
 *   storm about 12 staging copies of 8 MiB and 12 outputs of 7.6 MiB (`external`, 188 MiB),
 *   as many as the runs in flight and those still stopping needed at once.
 * - After close, what stays above `start` under glibc's default is the malloc arenas of the
 *   ended workers' threads, which glibc keeps for later threads (13 MiB after 200 runs, all
 *   free, part of it in RSS).
 *
 * Measured on 2 busy cores, 1,000 runs of 2M elements, 10 in flight, RSS over a `start` of
 * 72-74 MiB: with the pool open after a collection / at its peak / after close.
 *
 * - Aborted, glibc default: before 0.3-3.5 GB / 0.4-3.6 GB / 13-106 MiB; now 206-219 /
 *   223-238 / -3 to +2 MiB.
 * - Aborted, threshold 128 KiB: before 136-150 / 310-360 / -6 to +3 MiB; now 207-228 /
 *   226-236 / -6 to +2 MiB (the recycled outputs now count with the pool open).
 * - Completed, results dropped, glibc default: before 3.95 GB / 3.96 GB / 12 MiB; now 130 /
 *   230 / 2 MiB.
 * - Completed, results dropped, threshold 128 KiB: before 131 MiB / 3.95 GB / 2 MiB; now 129 /
 *   215 / 2 MiB.
 *
 * @module
 */

import { randn } from "@nonlin/core";
import { WorkerPool } from "@nonlin/workers";

/** Memory at one moment, in MiB. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  /**
   * Memory V8 counts outside its heap: ordinary ArrayBuffers, and the weight the pool gives
   * each shared buffer it allocates (see workers/_engine/buffers.ts), so the pool's buffers.
   */
  external: number;
}

/** What one soak measured. */
export interface SoakResult {
  runs: number;
  elements: number;
  inFlight: number;
  maxDelayMs: number;
  /** Whether runs were aborted (`--no-abort`: every run completes, its result dropped). */
  abort: boolean;
  aborted: number;
  completed: number;
  /** Before the soak's pool starts (modules loaded, a first pool started and closed). */
  start: MemorySample;
  /** After half the runs, the pool open. */
  midway: MemorySample;
  /** After the runs, the pool still open (its recycled staging buffers held). */
  open: MemorySample;
  /** RSS growth from `midway` to `open`, in MiB per 100 runs. */
  growthPer100: number;
  /** The most RSS seen while the runs went on (after each run, no collection forced), MiB. */
  peak: number;
  /** After close() and a garbage collection. */
  end: MemorySample;
  /** Time to issue and settle every run, ms (reported, never asserted). */
  elapsedMs: number;
  date: string;
  deno: string;
  v8: string;
}

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

/** The options of V8's `gc()` under `--expose-gc`. */
interface GcOptions {
  type?: "major" | "minor";
  execution?: "sync" | "async";
  /** `"last-resort"` collects all it can and shrinks the heap, as under memory pressure. */
  flavor?: "regular" | "last-resort";
}

/** Collects garbage until memory settles: a few rounds, with the event loop turning between. */
async function collect(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: (options?: GcOptions) => void }).gc;
  if (gc === undefined) throw new Error("The soak needs --v8-flags=--expose-gc");
  for (let i = 0; i < 6; i++) {
    gc({ type: "major", execution: "sync", flavor: "last-resort" });
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const m = Deno.memoryUsage();
  return { rss: m.rss / 2 ** 20, heapUsed: m.heapUsed / 2 ** 20, external: m.external / 2 ** 20 };
}

/** A seeded uniform generator, so that every soak aborts at the same delays. */
function uniform(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** Runs the soak with the given sizes; without `abort` every run completes. */
export async function soak(
  runs: number,
  elements: number,
  inFlight: number,
  maxDelayMs: number,
  abort = true,
): Promise<SoakResult> {
  const x = randn([elements], { seed: 1 });
  // Load and compile everything once, so that the start figure counts what stays loaded.
  const first = new WorkerPool({ size: 2, callerRuns: false });
  await first.run("gelu", x);
  await first.close();
  const start = await collect();

  // Two workers and a caller that only coordinates: a calling thread that takes part computes
  // its share synchronously and sees an abort only when it waits for the last chunk, while
  // here every abort lands on workers in the middle of their chunks.
  const pool = new WorkerPool({ size: 2, callerRuns: false });
  await pool.ready();
  const random = uniform(7);
  const pending = new Set<Promise<void>>();
  let aborted = 0, completed = 0, elapsedMs = 0, peak = 0;
  const half = Math.floor(runs / 2);
  let midway: MemorySample | undefined;
  let t = performance.now();
  for (let i = 0; i < runs; i++) {
    if (i === half) {
      await Promise.all(pending);
      elapsedMs += performance.now() - t;
      midway = await collect();
      t = performance.now();
    }
    const controller = new AbortController();
    const delay = random() * maxDelayMs;
    const timer = abort ? setTimeout(() => controller.abort(), delay) : undefined;
    const run: Promise<void> = pool.run("gelu", x, { signal: controller.signal }).then(
      () => void completed++,
      () => void aborted++,
    ).finally(() => {
      clearTimeout(timer);
      pending.delete(run);
      peak = Math.max(peak, Deno.memoryUsage().rss / 2 ** 20);
    });
    pending.add(run);
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
  elapsedMs += performance.now() - t;
  const open = await collect();
  midway ??= open;
  await pool.close();
  const end = await collect();
  return {
    runs,
    elements,
    inFlight,
    maxDelayMs,
    abort,
    aborted,
    completed,
    start,
    midway,
    open,
    growthPer100: runs - half > 0 ? (open.rss - midway.rss) / (runs - half) * 100 : 0,
    peak,
    end,
    elapsedMs,
    date: new Date().toISOString().slice(0, 10),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
  };
}

/** The soak's settings from the command line. */
function settings(): string[] {
  const names = ["runs", "elements", "in-flight", "max-delay"];
  const sizes = names.flatMap((name) => {
    const i = Deno.args.indexOf(`--${name}`);
    return i >= 0 ? [`--${name}`, Deno.args[i + 1]] : [];
  });
  return Deno.args.includes("--no-abort") ? [...sizes, "--no-abort"] : sizes;
}

/** The allocator settings the soak runs under, by name. */
const ALLOCATORS: Record<string, Record<string, string>> = {
  "glibc default": {},
  "glibc, mmap threshold 128 KiB": { GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=131072" },
};

/** Runs the soak in a child process under one allocator setting. */
async function child(env: Record<string, string>): Promise<SoakResult> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc,--no-memory-pool-share-memory-on-teardown",
      import.meta.filename!,
      "--child",
      ...settings(),
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  if (code !== 0) {
    throw new Error(`The soak failed (exit ${code}):\n${new TextDecoder().decode(stderr)}`);
  }
  return JSON.parse(text);
}

function report(name: string, r: SoakResult): void {
  const mb = (s: MemorySample) =>
    `RSS ${s.rss.toFixed(1)} MiB (${(s.rss - r.start.rss).toFixed(1)} over start), ` +
    `heap ${s.heapUsed.toFixed(1)} MiB, external ${s.external.toFixed(1)} MiB`;
  const how = r.abort ? `aborted after 0-${r.maxDelayMs} ms` : "none aborted";
  console.log(`${name}:`);
  console.log(
    `  ${r.runs} gelu runs on ${r.elements} float32 elements, ${r.inFlight} in flight, ` +
      `${how}: ${r.aborted} aborted, ${r.completed} completed, ` +
      `in ${(r.elapsedMs / 1000).toFixed(1)} s`,
  );
  console.log(`  start:              ${mb(r.start)}`);
  console.log(`  halfway, pool open: ${mb(r.midway)}`);
  console.log(
    `  after, pool open:   ${mb(r.open)} (${r.growthPer100.toFixed(2)} MiB per 100 runs since)`,
  );
  console.log(`  peak, pool open:    RSS ${r.peak.toFixed(1)} MiB (no collection forced)`);
  console.log(`  after close + GC:   ${mb(r.end)}`);
}

if (import.meta.main && Deno.args.includes("--child")) {
  console.log(JSON.stringify(
    await soak(
      flag("runs", 1000),
      flag("elements", 2_000_000),
      flag("in-flight", 10),
      flag("max-delay", 15),
      !Deno.args.includes("--no-abort"),
    ),
  ));
} else if (import.meta.main) {
  const results: Record<string, SoakResult> = {};
  for (const [name, env] of Object.entries(ALLOCATORS)) results[name] = await child(env);
  if (Deno.args.includes("--json")) console.log(JSON.stringify(results));
  else for (const [name, result] of Object.entries(results)) report(name, result);
  if (Deno.args.includes("--write")) {
    const file = new URL("./results/pool_soak.json", import.meta.url);
    await Deno.writeTextFile(file, JSON.stringify(results, null, 2) + "\n");
    console.log(`Wrote ${file.pathname}`);
  }
}
