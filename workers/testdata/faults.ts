/**
 * The fault tests whose workers die of an uncaught error: Deno prints each such error on
 * stderr however the pool handles it (`error: Uncaught (in worker …)`). `pool_faults_test.ts`
 * runs this file in a child process and keeps that expected output off the test run's console;
 * run it directly to see it.
 *
 *     deno test -A workers/testdata/faults.ts
 */

import assert from "node:assert/strict";
import { getActivation, randn, tensor } from "@nonlin/core";
import { WorkerPool } from "../pool.ts";

const FAULTY = new URL("./faulty_worker.ts", import.meta.url);

Deno.test("a worker crash rejects only its own run, with the cause, and the pool goes on", async () => {
  for (const code of [666, 555]) {
    const pool = new WorkerPool({ size: 2, roundTripMs: 0, workerUrl: FAULTY });
    try {
      const bad = tensor([code]);
      const good = randn([4000], { seed: 1 });
      const [crashed, fine] = await Promise.allSettled([
        pool.run("relu", bad),
        pool.run("relu", good),
      ]);
      assert.equal(crashed.status, "rejected");
      const error = (crashed as PromiseRejectedResult).reason as Error;
      assert.match(error.message, /Worker crashed while running "relu"/);
      assert.match(error.message, /on purpose/);
      assert.ok(error.cause !== undefined);
      assert.equal(fine.status, "fulfilled");
      assert.equal(pool.stats().failed, 1);
      // The dead worker is replaced: the pool keeps serving on both workers.
      const again = await pool.run("relu", randn([4000], { seed: 2 }));
      assert.equal(again.size, 4000);
      assert.ok(pool.stats().workers <= 2);
    } finally {
      await pool.close();
    }
  }
});

Deno.test("a worker crash in a run shared out in chunks rejects that run, never hangs", async () => {
  // The caller only coordinates: left to take part, it could claim every chunk before the
  // worker starts, and the run would not need the worker at all.
  const pool = new WorkerPool({ size: 2, roundTripMs: 0, workerUrl: FAULTY, callerRuns: false });
  try {
    // Shared memory and two shards: both workers claim chunks of one counter.
    const x = randn([200_000], { seed: 4, shared: true });
    x.data[0] = 666;
    await assert.rejects(pool.run("relu", x), /Worker crashed while running "relu"/);
    const y = randn([200_000], { seed: 5, shared: true });
    assert.deepEqual((await pool.run("relu", y)).data, getActivation("relu").forward(y).data);
  } finally {
    await pool.close();
  }
});

Deno.test("a worker that cannot start rejects the run instead of hanging", async () => {
  const pool = new WorkerPool({
    size: 2,
    roundTripMs: 0,
    callerRuns: false,
    workerUrl: new URL("./missing_worker.ts", import.meta.url),
  });
  try {
    await assert.rejects(pool.run("relu", randn([100])), /Worker crashed/);
    await assert.rejects(pool.run("relu", randn([100])), /Worker crashed/);
    await assert.rejects(pool.ready(), /Worker crashed/);
  } finally {
    await pool.close();
  }
  // The round trip is measured by pings, which must fail the same way.
  const measured = new WorkerPool({
    size: 1,
    workerUrl: new URL("./missing.ts", import.meta.url),
  });
  try {
    await assert.rejects(measured.run("gelu", randn([100000])), /Worker crashed/);
  } finally {
    await measured.close();
  }
});
