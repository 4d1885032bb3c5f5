import assert from "node:assert/strict";
import {
  notAnObject,
  noWorkerApi,
  optionNotAllowed,
  outOfRange,
  poolClosed,
  poolStopped,
  queueFull,
  unsupported,
  workerCrashed,
  workerExited,
  workerFailed,
  wrongType,
} from "./_errors.ts";

Deno.test("errors are classed by meaning: TypeError for kinds, RangeError for ranges", () => {
  assert.ok(wrongType("size", "2", "an integer ≥ 1") instanceof TypeError);
  assert.ok(notAnObject("call map()", null) instanceof TypeError);
  assert.ok(optionNotAllowed("map()", "out", "why") instanceof TypeError);
  assert.ok(outOfRange("size", 0, "an integer ≥ 1") instanceof RangeError);
  assert.ok(unsupported("memory", "shared", "why") instanceof RangeError);
  for (const e of [poolClosed("relu"), queueFull("relu", 2, 1), workerFailed("relu", "x")]) {
    assert.equal(e.constructor, Error);
  }
});

Deno.test("errors speak in one voice: Cannot …, the value quoted, no trailing period", () => {
  const all = [
    wrongType("size", "2", "an integer ≥ 1"),
    outOfRange("size", 0, "an integer ≥ 1"),
    unsupported("memory", "shared", "SharedArrayBuffer is unavailable"),
    notAnObject('run "relu"', 3),
    optionNotAllowed("map()", "out", "each batch needs its own output"),
    poolClosed("relu"),
    poolStopped("gelu", "destroyed"),
    queueFull("tanh", 3, 1),
    poolClosed(),
    noWorkerApi(),
  ];
  for (const e of all) {
    assert.match(e.message, /^Cannot /);
    assert.doesNotMatch(e.message, /\.$/);
  }
  assert.equal(all[0].message, 'Cannot use size "2": expected an integer ≥ 1');
  assert.equal(all[1].message, "Cannot use size 0: expected an integer ≥ 1");
  assert.equal(all[3].message, 'Cannot run "relu" with options 3: expected an object');
  assert.equal(all[5].message, 'Cannot run "relu": the pool is closed');
  assert.equal(all[6].message, 'Cannot finish "gelu": the pool was destroyed');
  assert.equal(all[8].message, "Cannot warm the pool up: the pool is closed");
  assert.equal(
    all[7].message,
    'Cannot queue 3 more tasks for "tanh": the queue is full (maxQueue 1)',
  );
});

Deno.test("worker errors name the op and keep the cause", () => {
  const cause = new RangeError("bad");
  const failed = workerFailed("tanh", cause);
  assert.equal(failed.message, 'Worker failed while running "tanh": bad');
  assert.equal(failed.cause, cause);
  assert.equal(
    workerCrashed("relu", "boom", cause).message,
    'Worker crashed while running "relu": boom',
  );
  assert.equal(workerCrashed(undefined, "boom", "boom").message, "Worker crashed: boom");
  assert.equal(
    workerExited("relu", 3).message,
    'Worker exited while running "relu" (code 3): it closed itself or called exit',
  );
  assert.equal(workerExited(undefined).message, "Worker exited: it closed itself or called exit");
});
