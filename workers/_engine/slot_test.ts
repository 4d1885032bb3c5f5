import assert from "node:assert/strict";
import type { Task } from "./scheduler.ts";
import { type SlotEvents, WorkerSlot } from "./slot.ts";

const WORKER = new URL("../worker.ts", import.meta.url);
const FAULTY = new URL("../testdata/faulty_worker.ts", import.meta.url);

function task(job: Task["job"]): Task {
  let resolve!: Task["resolve"], reject!: Task["reject"];
  const promise = new Promise<number | object>((res, rej) => (resolve = res, reject = rej));
  return { op: "relu", job, transfer: [], promise, resolve, reject, settled: false, killed: false };
}

/** A slot whose events resolve promises the test can wait on. */
function slotOf(url: URL) {
  let answered!: (value: unknown) => void, lost!: (error: Error) => void;
  const answer = new Promise((r) => (answered = r));
  const gone = new Promise<Error>((r) => (lost = r));
  const events: SlotEvents = {
    answered: (_slot, _task, error, value) => answered(error ?? value),
    lost: (_slot, error) => lost(error),
  };
  return { slot: new WorkerSlot(url, events), answer, gone };
}

Deno.test("WorkerSlot sends a task given while it starts once its worker holds its lock", async () => {
  const { slot, answer } = slotOf(WORKER);
  try {
    assert.equal(slot.live, false);
    const ping = task("ping");
    slot.run(ping);
    assert.equal(slot.task, ping);
    assert.equal(typeof await answer, "number");
    assert.equal(slot.live, true);
    assert.equal(slot.unassign(ping), false, "a task sent cannot be taken back");
  } finally {
    slot.terminate();
  }
});

Deno.test("WorkerSlot reports a worker that closes itself mid-task, which fires no event", async () => {
  const { slot, gone } = slotOf(FAULTY);
  try {
    const n = 4;
    const x = new Float32Array(new SharedArrayBuffer(n * 4)).fill(444);
    const y = new Float32Array(new SharedArrayBuffer(n * 4));
    const ref = (data: Float32Array) => ({
      buffer: data.buffer,
      byteOffset: 0,
      length: n,
      dtype: "float32" as const,
      mid: 1,
    });
    slot.run(task({
      op: "relu",
      pass: "forward",
      options: {},
      useOut: true,
      shape: [n],
      geometry: { outer: n, inner: 1, dim: -1 },
      block: { o0: 0, o1: n, i0: 0, i1: 1 },
      x: ref(x),
      y: ref(y),
    }));
    const error = await gone;
    assert.equal(
      error.message,
      'Worker exited while running "relu": it closed itself or called exit',
    );
  } finally {
    slot.terminate();
  }
});

Deno.test("WorkerSlot takes back a task not yet sent", () => {
  const { slot } = slotOf(WORKER);
  try {
    const ping = task("ping");
    slot.run(ping);
    assert.equal(slot.unassign(ping), true);
    assert.equal(slot.task, undefined);
  } finally {
    slot.terminate();
  }
});
