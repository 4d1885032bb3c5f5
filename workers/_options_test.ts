import assert from "node:assert/strict";
import { tensor } from "@nonlin/core";
import { checkCount, mapOptions, MAX_POOL_SIZE, poolConfig, runOptions } from "./_options.ts";
import type { RunOptions, WorkerPoolOptions } from "./pool.ts";

Deno.test("poolConfig() fills the defaults of this environment", () => {
  const config = poolConfig({});
  assert.equal(config.size, navigator.hardwareConcurrency);
  assert.equal(config.maxQueue, Infinity);
  assert.equal(config.roundTripMs, undefined);
  assert.equal(config.shared, true, "Deno has SharedArrayBuffer");
  assert.equal(config.callerRuns, true, "no DOM: the caller works too");
  assert.match(String(config.workerUrl), /worker\.ts$/);
  const given = poolConfig({ size: 1, maxQueue: 0, roundTripMs: 0, memory: "transfer" });
  assert.deepEqual(
    { ...given, workerUrl: undefined },
    {
      size: 1,
      maxQueue: 0,
      roundTripMs: 0,
      shared: false,
      callerRuns: true,
      workerUrl: undefined,
    },
  );
});

Deno.test("poolConfig() refuses bad options by kind and range, first the first documented", () => {
  const bad = (options: unknown) => () => poolConfig(options as WorkerPoolOptions);
  assert.throws(bad(null), {
    name: "TypeError",
    message: "Cannot create WorkerPool with options null: expected an object",
  });
  assert.throws(bad({ size: MAX_POOL_SIZE + 1 }), RangeError);
  assert.throws(bad({ size: "2" }), TypeError);
  assert.throws(bad({ maxQueue: 1.5 }), RangeError);
  assert.ok(poolConfig({ maxQueue: Infinity }));
  assert.throws(bad({ roundTripMs: "1" }), TypeError);
  assert.throws(bad({ roundTripMs: Infinity }), {
    name: "RangeError",
    message: "Cannot use roundTripMs Infinity: expected a finite number ≥ 0",
  });
  assert.throws(bad({ roundTripMs: NaN }), RangeError);
  assert.throws(bad({ workerUrl: 3 }), TypeError);
  assert.throws(bad({ memory: "disk" }), {
    name: "RangeError",
    message: 'Cannot use memory "disk": expected "shared" or "transfer"',
  });
  assert.throws(bad({ callerRuns: 1 }), TypeError);
  assert.throws(bad({ size: 0, memory: "disk" }), { message: /size 0/ });
});

Deno.test("checkCount() takes integers from min, and Infinity only when allowed", () => {
  assert.equal(checkCount(3, "n", 1), 3);
  assert.equal(checkCount(Infinity, "n", 0, true), Infinity);
  assert.throws(() => checkCount(Infinity, "n", 0), RangeError);
  assert.throws(() => checkCount(-1, "n", 0), RangeError);
  assert.throws(() => checkCount(2n, "n", 0), { name: "TypeError", message: /Cannot use n 2n/ });
});

Deno.test("runOptions() takes the signal out and leaves the rest for core", () => {
  const signal = new AbortController().signal, out = tensor([0]);
  assert.deepEqual(runOptions("relu", { signal, out, dim: 1 }), { signal, rest: { out, dim: 1 } });
  assert.deepEqual(runOptions("relu", {}), { rest: {} });
  assert.throws(() => runOptions("relu", { signal: "x" as unknown as AbortSignal }), {
    name: "TypeError",
    message: 'Cannot use option signal "x": expected an AbortSignal',
  });
  assert.throws(() => runOptions("relu", null as unknown as RunOptions), {
    name: "TypeError",
    message: 'Cannot run "relu" with options null: expected an object',
  });
});

Deno.test("mapOptions() defaults concurrency to the pool's size and refuses out", () => {
  assert.deepEqual(mapOptions({ dim: 0 }, 4), { concurrency: 4, run: { dim: 0 } });
  assert.deepEqual(mapOptions({ concurrency: 2 }, 4), { concurrency: 2, run: {} });
  assert.throws(() => mapOptions({ concurrency: 0 }, 4), RangeError);
  assert.throws(() => mapOptions({ out: tensor([1]) }, 4), {
    name: "TypeError",
    message: "Cannot call map() with option out: each batch needs its own output",
  });
});
