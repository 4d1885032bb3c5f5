import assert from "node:assert/strict";
import type { SoakResult } from "../bench/pool_soak.ts";

/**
 * The abort soak, reduced: 50 gelu runs on 2M-element ordinary tensors, 10 in flight, each
 * aborted after 0-15 ms, in child processes with --expose-gc (see bench/pool_soak.ts; `deno
 * task soak:pool` runs 1,000). Before aborted runs stopped their workers cooperatively, each
 * kept about its output's size alive for good, 50 runs some 400 MB. Memory, not time, is
 * checked.
 */
Deno.test("aborted runs give their memory back: after 50 aborts, close() and a GC, RSS and heap are where they started", async () => {
  const script = new URL("../bench/pool_soak.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, "--runs", "50", "--json"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const results: Record<string, SoakResult> = JSON.parse(new TextDecoder().decode(stdout));
  for (const [allocator, r] of Object.entries(results)) {
    const what = `${allocator}: ${JSON.stringify(r)}`;
    assert.ok(r.aborted >= 25, `most runs were aborted (${what})`);
    assert.ok(r.end.rss - r.start.rss < 32, `RSS back within 32 MiB (${what})`);
    assert.ok(r.end.heapUsed - r.start.heapUsed < 4, `heap back within 4 MiB (${what})`);
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
