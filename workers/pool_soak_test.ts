import assert from "node:assert/strict";
import type { SoakResult } from "../bench/pool_soak.ts";

/** Runs bench/pool_soak.ts with `args` under both allocator settings; see its docs. */
async function soak(...args: string[]): Promise<Record<string, SoakResult>> {
  const script = new URL("../bench/pool_soak.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args, "--json"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const results: Record<string, SoakResult> = JSON.parse(new TextDecoder().decode(stdout));
  assert.deepEqual(Object.keys(results), ["glibc default", "glibc, mmap threshold 128 KiB"]);
  return results;
}

/**
 * What a pool of 2M-element float32 runs may hold with the pool open, in MiB over `start`:
 * recycled buffers for twice the runs in flight (an ordinary input's staging copy of 8 MiB
 * and an output of 7.6 MiB each: aborted runs still stopping hold theirs too), and the
 * workers' heaps. The leaks this guards against held 8 MB per run, for hundreds of runs.
 */
const OPEN_MIB = 2 * 10 * 16 + 32;

/**
 * How far above `start` RSS may end after close() and a GC, in MiB. It measured 1-3 MiB with
 * glibc's mmap threshold fixed, and 1-6 MiB by default: glibc keeps the malloc arenas of the
 * ended workers' threads for later threads (13 MiB of them after 200 runs, all free, part of
 * it in RSS).
 */
const END_MIB: Record<string, number> = {
  "glibc default": 12,
  "glibc, mmap threshold 128 KiB": 6,
};

/**
 * The abort soak, reduced: 200 gelu runs on 2M-element ordinary tensors, 10 in flight, each
 * aborted after 0-15 ms, in child processes with --expose-gc, under glibc's default allocator
 * and with its mmap threshold fixed at 128 KiB (see bench/pool_soak.ts for how memory is
 * sampled; `deno task soak:pool` runs 1,000). Memory, not time, is checked, and the same for
 * both allocators: the pool's buffers are mapped apart from malloc, and aborted runs give their
 * output back. Before, each aborted run left a new 8 MB output to a collection that did not
 * come, and under glibc's default those piled up in its heap: 0.3-3.5 GB of RSS after 1,000
 * runs with the pool open, up to 106 MiB more than at the start after close.
 */
Deno.test("aborted runs give their memory back: after 200 aborts RSS stays bounded with the pool open, and after close() and a GC it is where it started", async () => {
  for (const [allocator, r] of Object.entries(await soak("--runs", "200"))) {
    const what = `${allocator}: ${JSON.stringify(r)}`;
    assert.ok(r.aborted >= 100, `most runs were aborted (${what})`);
    assert.ok(r.peak - r.start.rss < OPEN_MIB, `RSS at most ${OPEN_MIB} MiB up (${what})`);
    assert.ok(r.open.rss - r.start.rss < OPEN_MIB, `RSS open ${OPEN_MIB} MiB up (${what})`);
    // The pool may still add a buffer or two, and the recycled outputs of aborted runs have
    // more of their pages written: 7-30 MiB measured, against 800 for a leak of one output
    // per run.
    assert.ok(
      r.open.rss - r.midway.rss < 48,
      `RSS of the open pool grew by less than 48 MiB over the last 100 runs (${what})`,
    );
    assert.ok(r.end.rss - r.start.rss < END_MIB[allocator], `RSS back (${what})`);
    assert.ok(r.end.heapUsed - r.start.heapUsed < 2, `heap back within 2 MiB (${what})`);
  }
});

/**
 * Results the caller drops are collected as soon as ordinary ArrayBuffers would be: V8 does not
 * count a SharedArrayBuffer's memory, so before each result carried a weight for it, 300
 * completed runs of 2M elements had up to 2.4 GB of RSS (1,000: 4 GB) under either allocator,
 * their dropped results waiting for a collection.
 */
Deno.test("a pool that stays open does not pile up the results its caller dropped: 100 completed runs of 2M elements stay bounded", async () => {
  for (const [allocator, r] of Object.entries(await soak("--runs", "100", "--no-abort"))) {
    const what = `${allocator}: ${JSON.stringify(r)}`;
    assert.equal(r.completed, 100, what);
    assert.ok(r.peak - r.start.rss < OPEN_MIB, `RSS at most ${OPEN_MIB} MiB up (${what})`);
    assert.ok(r.end.rss - r.start.rss < END_MIB[allocator], `RSS back (${what})`);
  }
});

Deno.test("a pool that stays open does not keep the results it returned: 100 runs of 2M elements, RSS within 48 MiB", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      new URL("./testdata/retention.ts", import.meta.url).pathname,
    ],
    env: { GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=131072" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const r = JSON.parse(new TextDecoder().decode(stdout));
  const what = JSON.stringify(r);
  assert.ok(r.completed >= 100, `the workers took part (${what})`);
  // 100 results of 8 MB each: kept by the workers, they would be 800 MB.
  assert.ok(r.end.rss - r.start.rss < 48, `RSS within 48 MiB (${what})`);
});
