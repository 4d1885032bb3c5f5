/**
 * The abort soak of the worker pool: many gelu runs on an ordinary tensor, a few in flight at
 * once, each aborted after a random delay, then `close()` and a garbage collection; memory
 * (RSS and V8 heap) is measured before and after. Every aborted run must give back what it
 * allocated, and its workers must stop at their next chunk instead of being killed.
 *
 *     deno run -A bench/pool_soak.ts [--runs 1000] [--elements 2000000] [--in-flight 10]
 *       [--max-delay 15] [--json] [--write]
 *
 * The soak itself runs in child processes (with `--v8-flags=--expose-gc`), twice: with glibc's
 * default allocator, and with its mmap threshold fixed at 128 KiB. By default glibc raises
 * that threshold to the size of the largest block freed, so the 8 MB buffers of later runs
 * come from its heaps and stay there for reuse once freed: RSS then shows what the allocator
 * keeps, not what the process holds. The second setting returns every freed buffer to the
 * system at once. `deno task soak:pool` runs the full soak and writes
 * `bench/results/pool_soak.json`; the workers' tests run a reduced one (`--runs 50 --json`)
 * and check its bounds.
 *
 * @module
 */

import { randn } from "@nonlin/core";
import { WorkerPool } from "@nonlin/workers";

/** Memory at one moment, in MiB. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
}

/** What one soak measured. */
export interface SoakResult {
  runs: number;
  elements: number;
  inFlight: number;
  maxDelayMs: number;
  aborted: number;
  completed: number;
  /** Before the soak's pool starts (modules loaded, a first pool started and closed). */
  start: MemorySample;
  /** After the runs, the pool still open (its recycled staging buffers held). */
  open: MemorySample;
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

/** Collects garbage until memory settles: a few rounds, with the event loop turning between. */
async function collect(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("The soak needs --v8-flags=--expose-gc");
  for (let i = 0; i < 6; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const m = Deno.memoryUsage();
  return { rss: m.rss / 2 ** 20, heapUsed: m.heapUsed / 2 ** 20 };
}

/** A seeded uniform generator, so that every soak aborts at the same delays. */
function uniform(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** Runs the soak with the given sizes. */
export async function soak(
  runs: number,
  elements: number,
  inFlight: number,
  maxDelayMs: number,
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
  let aborted = 0, completed = 0;
  const t = performance.now();
  for (let i = 0; i < runs; i++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), random() * maxDelayMs);
    const run: Promise<void> = pool.run("gelu", x, { signal: controller.signal }).then(
      () => void completed++,
      () => void aborted++,
    ).finally(() => {
      clearTimeout(timer);
      pending.delete(run);
    });
    pending.add(run);
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
  const elapsedMs = performance.now() - t;
  const open = await collect();
  await pool.close();
  const end = await collect();
  return {
    runs,
    elements,
    inFlight,
    maxDelayMs,
    aborted,
    completed,
    start,
    open,
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
  return names.flatMap((name) => {
    const i = Deno.args.indexOf(`--${name}`);
    return i >= 0 ? [`--${name}`, Deno.args[i + 1]] : [];
  });
}

/** The allocator settings the soak runs under, by name. */
const ALLOCATORS: Record<string, Record<string, string>> = {
  "glibc default": {},
  "glibc, mmap threshold 128 KiB": { GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=131072" },
};

/** Runs the soak in a child process under one allocator setting. */
async function child(env: Record<string, string>): Promise<SoakResult> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", import.meta.filename!, "--child", ...settings()],
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
  const mb = (s: MemorySample) => `RSS ${s.rss.toFixed(1)} MiB, heap ${s.heapUsed.toFixed(1)} MiB`;
  console.log(`${name}:`);
  console.log(
    `  ${r.runs} gelu runs on ${r.elements} float32 elements, ${r.inFlight} in flight, ` +
      `aborted after 0-${r.maxDelayMs} ms: ${r.aborted} aborted, ${r.completed} finished ` +
      `first, in ${(r.elapsedMs / 1000).toFixed(1)} s`,
  );
  console.log(`  start:             ${mb(r.start)}`);
  console.log(`  after, pool open:  ${mb(r.open)}`);
  console.log(`  after close + GC:  ${mb(r.end)}`);
}

if (import.meta.main && Deno.args.includes("--child")) {
  console.log(JSON.stringify(
    await soak(
      flag("runs", 1000),
      flag("elements", 2_000_000),
      flag("in-flight", 10),
      flag("max-delay", 15),
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
