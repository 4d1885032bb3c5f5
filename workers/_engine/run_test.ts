import assert from "node:assert/strict";
import { tensor } from "@nonlin/core";
import { Run } from "./run.ts";
import type { Task } from "./scheduler.ts";

function runWithLog(): { run: Run; cancelled: [readonly Task[], unknown, boolean][] } {
  const cancelled: [readonly Task[], unknown, boolean][] = [];
  const run = new Run("relu", (tasks, reason, kill) => cancelled.push([tasks, reason, kill]));
  return { run, cancelled };
}

Deno.test("Run settles once: the first outcome wins", async () => {
  const { run, cancelled } = runWithLog();
  const y = tensor([1]);
  run.succeed(y);
  run.fail(new Error("late"), false);
  assert.equal(await run.promise, y);
  assert.ok(run.settled);
  assert.equal(cancelled.length, 0, "a run that succeeded cancels nothing");
});

Deno.test("Run.fail() rejects and cancels its tasks, killing them only when asked", async () => {
  const { run, cancelled } = runWithLog();
  const reason = new Error("no");
  run.fail(reason, false);
  run.fail(new Error("again"), true);
  await assert.rejects(run.promise, reason);
  assert.deepEqual(cancelled, [[[], reason, false]]);
});

Deno.test("Run.watch() follows its signal: aborted before throws, aborted later kills", async () => {
  const { run, cancelled } = runWithLog();
  assert.throws(() => run.watch(AbortSignal.abort()), { name: "AbortError" });
  const controller = new AbortController();
  run.watch(controller.signal);
  controller.abort();
  await assert.rejects(run.promise, { name: "AbortError" });
  assert.equal(cancelled[0][2], true);
  run.watch(undefined); // no signal: nothing to follow
});

Deno.test("Run.throwIfSettled() stops work resumed after the run failed, with its reason", async () => {
  const { run } = runWithLog();
  run.throwIfSettled();
  const reason = new DOMException("stop", "AbortError");
  run.fail(reason, true);
  await assert.rejects(run.promise);
  assert.throws(() => run.throwIfSettled(), (e) => e === reason);
});

Deno.test("Run stops listening to its signal once settled", () => {
  const { run, cancelled } = runWithLog();
  const controller = new AbortController();
  run.watch(controller.signal);
  run.succeed(tensor([0]));
  controller.abort();
  assert.equal(cancelled.length, 0);
});

Deno.test("Run.fail() sets the stop flag its threads watch, then calls what waits on it", async () => {
  const { run } = runWithLog();
  const flag = new Int32Array(run.stop!);
  const order: string[] = [];
  run.onStop(() => order.push(`woken, flag ${Atomics.load(flag, 0)}`));
  assert.equal(Atomics.load(flag, 0), 0);
  assert.equal(run.stopped, false);
  run.fail(new Error("stop"), false);
  await assert.rejects(run.promise, /stop/);
  assert.equal(Atomics.load(flag, 0), 1);
  assert.ok(run.stopped);
  assert.deepEqual(order, ["woken, flag 1"]);

  const ok = runWithLog().run;
  ok.succeed(tensor([1]));
  assert.equal(ok.stopped, false, "a run that succeeded is not stopped");
  assert.equal(Atomics.load(new Int32Array(ok.stop!), 0), 0);
});
