/**
 * Runs 100 pool runs of 2M-element gelu whose results are dropped at once, on a pool that stays
 * open, and prints RSS and heap (MiB) before and after as JSON. Run with
 * `--v8-flags=--expose-gc`; `pool_soak_test.ts` checks the figures. Each run returns a new
 * shared tensor the workers wrote: without the workers letting go of their handles on it
 * (`letGo`), every one stayed in memory for as long as the pool lived.
 */

import { randn } from "@nonlin/core";
import { WorkerPool } from "../mod.ts";

const gc = (globalThis as { gc?: () => void }).gc!;
async function collect(): Promise<{ rss: number; heapUsed: number }> {
  for (let i = 0; i < 6; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const m = Deno.memoryUsage();
  return { rss: m.rss / 2 ** 20, heapUsed: m.heapUsed / 2 ** 20 };
}

const shared = randn([2_000_000], { seed: 1, shared: true });
const plain = randn([2_000_000], { seed: 1 });
const pool = new WorkerPool({ size: 2 });
await pool.ready();
await pool.run("gelu", shared);
await pool.run("gelu", plain);
const start = await collect();
for (let i = 0; i < 50; i++) {
  await pool.run("gelu", shared);
  await pool.run("gelu", plain);
}
const end = await collect();
const { completed } = pool.stats();
await pool.close();
console.log(JSON.stringify({ start, end, completed }));
