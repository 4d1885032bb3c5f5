import assert from "node:assert/strict";
import {
  type ActivationInfo,
  ACTIVATIONS,
  type AnyOptions,
  type DType,
  getActivation,
  type OptionSpec,
  randn,
  Tensor,
  tensor,
} from "@nonlin/core";
import { MAX_POOL_SIZE, WorkerPool } from "./pool.ts";

const FAULTY = new URL("./testdata/faulty_worker.ts", import.meta.url);

/**
 * Bit-for-bit equality of two tensors' elements, naming the first that differs. NaNs match any
 * NaN: the sign and payload of a NaN depend on which JIT tier compiled the arithmetic, so even
 * one thread does not repeat them.
 */
function assertBitwise(actual: Tensor, expected: Tensor, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  const a = actual.data, b = expected.data;
  for (let k = 0; k < a.length; k++) {
    if (!Object.is(a[k], b[k]) && !(a[k] !== a[k] && b[k] !== b[k])) {
      assert.fail(`${what}: element ${k} is ${a[k]}, expected ${b[k]}`);
    }
  }
}

/** Normal numbers with the extremes mixed in: ±1000, ±∞, NaN, -0 and subnormals. */
function sample(shape: number[], dtype: DType, seed: number, shared = false): Tensor {
  const x = randn(shape, { seed, dtype, shared, std: 3 });
  const specials = [
    1000,
    -1000,
    Infinity,
    -Infinity,
    NaN,
    -0,
    dtype === "float32" ? 1e-40 : 5e-324,
  ];
  // Sparse enough that most softmax slices stay finite, so both paths of the kernels run.
  for (let k = 0; k < specials.length; k++) {
    const i = (k * 7919 + seed) % (x.size * 4);
    if (i < x.size) x.data[i] = specials[k];
  }
  return x;
}

/** A valid value of a numeric or enum option other than its default. */
function valueFor(spec: OptionSpec): unknown {
  if (spec.kind === "boolean") return !(spec.default ?? false);
  if (spec.kind === "enum") return spec.values!.find((v) => v !== spec.default) ?? spec.values![0];
  const lo = spec.min ?? (spec.above !== undefined ? spec.above + 1 : undefined);
  let v = lo !== undefined
    ? lo + (spec.kind === "integer" ? 1 : 0.75)
    : spec.kind === "integer"
    ? 2
    : 0.75;
  if (spec.max !== undefined && v > spec.max) v = spec.max;
  return v;
}

/** Option sets worth checking for an entry on a tensor of rank `ndim`. */
function variants(entry: ActivationInfo, ndim: number): AnyOptions[] {
  const base: AnyOptions = {};
  for (const spec of entry.options) if (spec.required) base[spec.name] = valueFor(spec);
  const sets: AnyOptions[] = [base];
  for (const spec of entry.options) {
    if (spec.name === "dim" || spec.required) continue;
    if (spec.kind === "enum") {
      for (const v of spec.values!) if (v !== spec.default) sets.push({ ...base, [spec.name]: v });
    } else {
      sets.push({ ...base, [spec.name]: valueFor(spec) });
    }
  }
  if (!entry.options.some((s) => s.name === "dim")) return sets;
  const dims = [...new Set([-1, 0, Math.min(1, ndim - 1)])];
  return sets.flatMap((o) => dims.map((dim) => ({ ...o, dim })));
}

const SHAPES = [[24], [6, 10], [4, 6, 8], [5, 7]];

/** What core does, as a value or as the error it throws. */
function reference(f: () => Tensor): { y?: Tensor; error?: Error } {
  try {
    return { y: f() };
  } catch (error) {
    return { error: error as Error };
  }
}

async function checkParity(pool: WorkerPool, pass: "forward" | "backward"): Promise<number> {
  let checked = 0;
  for (const entry of ACTIVATIONS) {
    for (const dtype of ["float32", "float64"] as const) {
      for (const [s, shape] of SHAPES.entries()) {
        for (const options of variants(entry, shape.length)) {
          const what = `${pass} ${entry.name}(${dtype} [${shape}], ${JSON.stringify(options)})`;
          const x = sample(shape, dtype, s + 1, s % 2 === 0);
          let expected, actual;
          if (pass === "forward") {
            expected = reference(() => entry.forward(x, options));
            actual = pool.run(entry.name, x, options);
          } else {
            const forward = reference(() => entry.forward(x, options));
            if (!forward.y) continue;
            const dy = sample([...forward.y.shape], dtype, s + 11);
            expected = reference(() => entry.backward(dy, x, options));
            actual = pool.backward(entry.name, dy, x, options);
          }
          if (expected.error) {
            const e = expected.error;
            await assert.rejects(actual, (got: Error) => {
              assert.equal(got.constructor, e.constructor, what);
              assert.equal(got.message, e.message, what);
              return true;
            });
          } else {
            assertBitwise(await actual, expected.y!, what);
            checked++;
          }
        }
      }
    }
  }
  return checked;
}

for (const size of [1, 2, 4]) {
  Deno.test(`WorkerPool({ size: ${size} }) matches core bitwise for every registry entry`, async () => {
    const pool = new WorkerPool({ size, roundTripMs: 0 });
    try {
      assert.ok((await checkParity(pool, "forward")) > 0);
      assert.ok((await checkParity(pool, "backward")) > 0);
      const { completed, failed, workers } = pool.stats();
      assert.ok(completed > 0, "work went to the workers");
      assert.equal(failed, 0);
      assert.ok(workers <= size);
    } finally {
      await pool.close();
    }
  });
}

Deno.test("WorkerPool({ memory: 'transfer' }) matches core bitwise without shared memory", async () => {
  const pool = new WorkerPool({ size: 2, roundTripMs: 0, memory: "transfer" });
  try {
    assert.ok((await checkParity(pool, "forward")) > 0);
    assert.ok((await checkParity(pool, "backward")) > 0);
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.run() cuts reductions along dim 0 and middle dims without splitting slices", async () => {
  const pool = new WorkerPool({ size: 4, roundTripMs: 0 });
  try {
    // [2, 64, 3]: dim 0 has one outer row, so the inner indices are cut (gathered blocks).
    for (const shape of [[64, 3], [2, 64, 3], [3, 5, 64], [1, 1, 9]]) {
      for (let dim = -shape.length; dim < shape.length; dim++) {
        const x = sample(shape, "float64", dim + 5);
        for (const op of ["softmax", "logSoftmax"]) {
          const expected = ACTIVATIONS.find((a) => a.name === op)!.forward(x, { dim });
          assertBitwise(await pool.run(op, x, { dim }), expected, `${op} [${shape}] dim ${dim}`);
        }
      }
    }
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.run() writes into out, in place on shared memory", async () => {
  const pool = new WorkerPool({ size: 2, roundTripMs: 0 });
  try {
    const x = sample([8, 16], "float32", 3, true);
    const expected = ACTIVATIONS.find((a) => a.name === "tanh")!.forward(x);
    const shared = new Tensor(new Float32Array(new SharedArrayBuffer(x.size * 4)), x.shape);
    assert.equal(await pool.run("tanh", x, { out: shared }), shared);
    assertBitwise(shared, expected, "shared out");
    const plain = new Tensor(new Float32Array(x.size), x.shape);
    assert.equal(await pool.run("tanh", x, { out: plain }), plain);
    assertBitwise(plain, expected, "plain out");
    const inPlace = x.clone({ shared: true });
    await pool.run("tanh", inPlace, { out: inPlace });
    assertBitwise(inPlace, expected, "in place");
    await assert.rejects(pool.run("tanh", x, { out: tensor([1]) }), RangeError);
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.run() with an out that partly overlaps x gives core's bits, for every activation", async () => {
  const pool = new WorkerPool({ size: 2, roundTripMs: 0 });
  try {
    const n = 1 << 16, shape = [4, n / 4];
    const values = sample(shape, "float32", 5, false).data;
    for (const entry of ACTIVATIONS) {
      if (entry.name === "glu" || entry.name === "softmax2d" || entry.name === "prelu") continue;
      const expected = entry.forward(new Tensor(Float32Array.from(values), shape));
      const buffer = new Float32Array(new SharedArrayBuffer((n + 3) * 4));
      const x = new Tensor(buffer.subarray(0, n), shape);
      x.data.set(values);
      const out = new Tensor(buffer.subarray(3, n + 3), shape);
      assert.equal(await pool.run(entry.name, x, { out }), out);
      assertBitwise(out, expected, `${entry.name} with out shifted by 3`);
    }
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.run() keeps tiny work on the calling thread and sends big work out", async () => {
  const pool = new WorkerPool({ size: 2 });
  try {
    const small = tensor([-1, 2, -3]);
    assert.deepEqual((await pool.run("relu", small)).toArray(), [0, 2, 0]);
    assert.equal(pool.stats().completed, 0, "a 3-element relu is cheaper than a round trip");
    // Hundreds of milliseconds of erf per call: far more than any round trip.
    const big = randn([1 << 20], { seed: 2, shared: true });
    const y = await pool.run("gelu", big);
    assertBitwise(y, ACTIVATIONS.find((a) => a.name === "gelu")!.forward(big), "big gelu");
    assert.ok(pool.stats().completed > 0, "the big gelu went to the workers");
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.run() rejects bad arguments like core does", async () => {
  const pool = new WorkerPool({ size: 1, roundTripMs: 0 });
  try {
    await assert.rejects(pool.run("nope", tensor([1])), RangeError);
    await assert.rejects(pool.run("relu", [1] as unknown as Tensor), TypeError);
    await assert.rejects(pool.run("gelu", tensor([1]), { approximate: "fast" }), RangeError);
    await assert.rejects(pool.run("relu", tensor([1]), { bogus: 1 }), TypeError);
    await assert.rejects(pool.run("softmax", tensor([1, 2]), { dim: 3 }), RangeError);
    await assert.rejects(
      pool.run("relu", tensor([1]), { signal: "x" as unknown as AbortSignal }),
      TypeError,
    );
    await assert.rejects(pool.run("relu", tensor([1]), null as unknown as AnyOptions), TypeError);
  } finally {
    await pool.close();
  }
});

Deno.test("new WorkerPool() checks its options", () => {
  assert.throws(() => new WorkerPool({ size: MAX_POOL_SIZE + 1 }), {
    name: "RangeError",
    message: new RegExp(`Cannot use size ${MAX_POOL_SIZE + 1}: expected at most ${MAX_POOL_SIZE}`),
  });
  assert.throws(() => new WorkerPool({ size: 1e6 }), RangeError);
  assert.equal(new WorkerPool({ size: MAX_POOL_SIZE }).size, MAX_POOL_SIZE); // starts no worker
  assert.throws(() => new WorkerPool({ size: 0 }), {
    name: "RangeError",
    message: "Cannot use size 0: expected an integer ≥ 1",
  });
  assert.throws(() => new WorkerPool({ size: 1.5 }), RangeError);
  assert.throws(() => new WorkerPool({ size: "2" as unknown as number }), TypeError);
  assert.throws(() => new WorkerPool({ maxQueue: -1 }), RangeError);
  assert.throws(() => new WorkerPool({ roundTripMs: -1 }), RangeError);
  assert.throws(() => new WorkerPool({ memory: "disk" as "shared" }), RangeError);
  assert.throws(() => new WorkerPool({ workerUrl: 3 as unknown as string }), TypeError);
  assert.equal(new WorkerPool().size, navigator.hardwareConcurrency);
});

Deno.test("WorkerPool.map() yields results in order", async () => {
  const pool = new WorkerPool({ size: 2, roundTripMs: 0 });
  try {
    // Sizes vary so that later batches could finish first.
    const batches = [400, 3, 200, 1, 50, 7].map((n, i) => sample([n], "float32", i));
    const sigmoid = ACTIVATIONS.find((a) => a.name === "sigmoid")!;
    let k = 0;
    for await (const y of pool.map("sigmoid", batches)) {
      assertBitwise(y, sigmoid.forward(batches[k]), `batch ${k}`);
      k++;
    }
    assert.equal(k, batches.length);
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.map() reads no further ahead than its concurrency", async () => {
  const pool = new WorkerPool({ size: 2, roundTripMs: 0 });
  try {
    let pulled = 0, consumed = 0, ahead = 0;
    const source = async function* () {
      for (let i = 0; i < 12; i++) {
        pulled++;
        ahead = Math.max(ahead, pulled - consumed);
        yield sample([64], "float64", i);
      }
    };
    for await (const _ of pool.map("tanh", source(), { concurrency: 3 })) {
      // A slow consumer: the source must wait for it.
      await new Promise((r) => setTimeout(r, 5));
      consumed++;
    }
    assert.equal(consumed, 12);
    assert.ok(ahead <= 3 + 1, `read ${ahead} batches ahead`);
    await assert.rejects(async () => {
      for await (const _ of pool.map("relu", [tensor([1])], { concurrency: 0 })) { /* none */ }
    }, RangeError);
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.map() surfaces a failing batch in its turn", async () => {
  const pool = new WorkerPool({ size: 2, roundTripMs: 0 });
  try {
    const batches = [tensor([1, 2]), tensor([[1, 2]]), tensor([3])];
    const seen: number[][] = [];
    await assert.rejects(async () => {
      for await (const y of pool.map("softmax", batches, { dim: 1 })) {
        seen.push(y.shape as number[]);
      }
    }, RangeError);
    assert.deepEqual(seen, []);
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.close() finishes queued work and refuses new runs", async () => {
  const pool = new WorkerPool({ size: 1, roundTripMs: 0 });
  const runs = [1, 2, 3].map((seed) => pool.run("gelu", randn([5000], { seed })));
  await pool.close();
  for (const r of runs) assert.equal((await r).size, 5000);
  assert.deepEqual(pool.stats().workers, 0);
  await assert.rejects(pool.run("relu", tensor([1])), {
    message: 'Cannot run "relu": the pool is closed',
  });
  await pool.close(); // a second close is harmless
});

Deno.test("WorkerPool works with await using", async () => {
  let y: Tensor;
  {
    await using pool = new WorkerPool({ size: 2, roundTripMs: 0 });
    y = await pool.run("relu", tensor([-1, 1]));
  }
  assert.deepEqual(y.toArray(), [0, 1]);
});

Deno.test("a task that throws in the worker rejects its run with the cause", async () => {
  const pool = new WorkerPool({ size: 1, roundTripMs: 0, workerUrl: FAULTY });
  try {
    await assert.rejects(pool.run("tanh", tensor([777, 1])), (e: Error) => {
      assert.match(e.message, /Worker failed while running "tanh": worker threw on purpose/);
      assert.equal((e.cause as Error).name, "RangeError");
      return true;
    });
    assert.equal(pool.stats().failed, 1);
    assert.deepEqual((await pool.run("relu", tensor([-1, 1]))).toArray(), [0, 1]);
  } finally {
    await pool.close();
  }
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
}

Deno.test("an aborted run stops its workers at their next chunk: none is terminated or replaced", async () => {
  const pool = new WorkerPool({ size: 2, roundTripMs: 0, callerRuns: false });
  try {
    await pool.ready();
    const x = randn([1 << 23], { seed: 3, shared: true });
    const controller = new AbortController();
    const running = pool.run("gelu", x, { signal: controller.signal });
    await until(() => pool.stats().busy === 2);
    controller.abort();
    await assert.rejects(running, { name: "AbortError" });
    await until(() => pool.stats().busy === 0);
    assert.deepEqual(pool.stats().workers, 2, "no worker was terminated");
    assert.equal(pool.stats().failed, 0);
    const y = randn([1 << 16], { seed: 4 });
    assertBitwise(await pool.run("gelu", y), getActivation("gelu").forward(y), "the next run");
  } finally {
    await pool.close();
  }
});

Deno.test("an aborted run rejects at once; a worker deaf to its stop flag is terminated after the grace period and replaced", async () => {
  const pool = new WorkerPool({ size: 1, roundTripMs: 0, workerUrl: FAULTY });
  try {
    await pool.ready();
    const controller = new AbortController();
    const hanging = pool.run("relu", tensor([999]), { signal: controller.signal });
    await until(() => pool.stats().busy === 1);
    controller.abort();
    await assert.rejects(
      hanging,
      (e: DOMException) => e instanceof DOMException && e.name === "AbortError",
    );
    // It may be finishing its chunk: it keeps its slot until it answers, or the grace ends.
    assert.equal(pool.stats().busy, 1);
    await until(() => pool.stats().busy === 0);
    assert.equal(pool.stats().workers, 0, "the deaf worker was terminated");
    assert.deepEqual((await pool.run("relu", tensor([-5, 5]))).toArray(), [0, 5]);
  } finally {
    await pool.close();
  }
});

for (const [code, how] of [[444, "self.close()"], [333, "Deno.exit(3)"]] as const) {
  Deno.test(`a worker that exits mid-task (${how}) rejects its run clearly, is replaced, and close() resolves`, async () => {
    const pool = new WorkerPool({ size: 2, roundTripMs: 0, workerUrl: FAULTY, callerRuns: false });
    await assert.rejects(pool.run("relu", tensor([code, 1])), (e: Error) => {
      assert.match(
        e.message,
        /^Worker exited while running "relu".*: it closed itself or called exit$/,
      );
      return true;
    });
    assert.ok(pool.stats().failed >= 1);
    const x = randn([50_000], { seed: 1 });
    assertBitwise(await pool.run("relu", x), getActivation("relu").forward(x), "after the exit");
    assert.ok(pool.stats().completed >= 1, "new workers took the run");
    await pool.close();
    assert.equal(pool.stats().workers, 0);
  });
}

Deno.test("aborting a queued task rejects with AbortError and leaves the queue", async () => {
  const pool = new WorkerPool({ size: 1, roundTripMs: 0, workerUrl: FAULTY });
  try {
    const first = new AbortController(), second = new AbortController();
    const hanging = pool.run("relu", tensor([999]), { signal: first.signal });
    const queued = pool.run("relu", tensor([1]), { signal: second.signal });
    await until(() => pool.stats().queued === 1);
    second.abort();
    await assert.rejects(queued, { name: "AbortError" });
    assert.equal(pool.stats().queued, 0);
    first.abort();
    await assert.rejects(hanging, { name: "AbortError" });
    const done = AbortSignal.abort();
    await assert.rejects(pool.run("relu", tensor([1]), { signal: done }), { name: "AbortError" });
  } finally {
    await pool.close();
  }
});

Deno.test("a full queue rejects clearly", async () => {
  const pool = new WorkerPool({ size: 1, maxQueue: 1, roundTripMs: 0, workerUrl: FAULTY });
  try {
    const hang = new AbortController();
    // Shared inputs: an ordinary one of two elements may cost less to compute than to copy
    // into shared memory, and then runs on the calling thread instead of waiting in the queue.
    const shared = (xs: number[]) => tensor(xs, { shared: true });
    const running = pool.run("relu", shared([999]), { signal: hang.signal });
    const waiting = pool.run("relu", shared([1, 2]));
    await assert.rejects(pool.run("relu", shared([3])), /the queue is full \(maxQueue 1\)/);
    hang.abort();
    await assert.rejects(running, { name: "AbortError" });
    assert.deepEqual((await waiting).toArray(), [1, 2]);
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.destroy() rejects what is pending and stops at once", async () => {
  const pool = new WorkerPool({ size: 1, roundTripMs: 0, workerUrl: FAULTY });
  const running = pool.run("relu", tensor([999]));
  const queued = pool.run("relu", tensor([1]));
  await until(() => pool.stats().busy === 1);
  pool.destroy();
  await assert.rejects(running, /destroyed/);
  await assert.rejects(queued, /destroyed/);
  assert.deepEqual(pool.stats().workers, 0);
  await assert.rejects(pool.run("relu", tensor([1])), /closed/);
  await pool.close();
});

Deno.test("the process exits by itself after close()", async () => {
  const script = `
    import { WorkerPool } from ${JSON.stringify(new URL("./mod.ts", import.meta.url).href)};
    import { randn } from "@nonlin/core";
    const pool = new WorkerPool({ size: 2 });
    const y = await pool.run("gelu", randn([300000], { seed: 1 }));
    await pool.close();
    console.log("done", y.size);
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", new URL("../deno.json", import.meta.url).pathname, "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    cwd: new URL(".", import.meta.url).pathname,
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  // A bound on a hang, not on speed: a pool that kept the process alive would never exit.
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const { code, stdout, stderr } = await child.output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    assert.equal(new TextDecoder().decode(stdout).trim(), "done 300000");
  } finally {
    clearTimeout(timer);
  }
});

Deno.test("runs on ordinary tensors give core's bits, and a result is never overwritten by a later run", async () => {
  const pool = new WorkerPool({ size: 2, roundTripMs: 0 });
  try {
    const gelu = getActivation("gelu");
    const xs = [1, 2, 3].map((seed) => randn([300_000], { seed }));
    const ys: Tensor[] = [];
    for (const x of xs) ys.push(await pool.run("gelu", x));
    ys.forEach((y, i) => assertBitwise(y, gelu.forward(xs[i]), `run ${i}`));
    assert.equal(new Set(ys.map((y) => y.data.buffer)).size, 3, "each result has its own memory");
    // Ordinary outs are filled from recycled staging memory; each keeps what it received.
    const outs = xs.map((x) => new Tensor(new Float32Array(x.size), x.shape));
    for (const [i, x] of xs.entries()) await pool.run("gelu", x, { out: outs[i] });
    outs.forEach((out, i) => assertBitwise(out, gelu.forward(xs[i]), `out ${i}`));
    // The backward pass stages its two inputs.
    const dy = randn([300_000], { seed: 9 });
    const dx = await pool.backward("gelu", dy, xs[0]);
    assertBitwise(dx, gelu.backward(dy, xs[0]), "backward");
  } finally {
    await pool.close();
  }
});

Deno.test("WorkerPool.ready() starts and warms the workers a run uses; a closed pool refuses it", async () => {
  const pool = new WorkerPool({ size: 3 });
  await pool.ready();
  assert.equal(pool.stats().workers, 2, "the calling thread is the third");
  await pool.ready();
  assert.equal(pool.stats().workers, 2);
  assert.equal(pool.stats().completed, 0, "warming up is no task");
  const x = randn([1 << 20], { seed: 9 });
  assertBitwise(await pool.run("gelu", x), getActivation("gelu").forward(x), "first run");
  assert.ok(pool.stats().completed > 0, "the first run after ready() went to the workers");
  await pool.close();
  await assert.rejects(pool.ready(), {
    name: "Error",
    message: "Cannot warm the pool up: the pool is closed",
  });
  const coordinating = new WorkerPool({ size: 2, callerRuns: false });
  await coordinating.ready();
  assert.equal(coordinating.stats().workers, 2);
  await coordinating.close();
});

Deno.test("callerRuns: the calling thread computes one shard, the workers the rest, same bits", async () => {
  const x = randn([1 << 20], { seed: 21 });
  const expected = getActivation("gelu").forward(x).data;
  for (const callerRuns of [true, false]) {
    const pool = new WorkerPool({ size: 2, roundTripMs: 0, callerRuns });
    try {
      // Started first: else the caller may claim every chunk before a worker is up.
      await pool.ready();
      const y = await pool.run("gelu", x);
      assert.deepEqual(y.data, expected);
      // Two shards: one for the caller and one task, or two tasks.
      assert.equal(pool.stats().completed, callerRuns ? 1 : 2);
    } finally {
      await pool.close();
    }
  }
  // Without ready(), a caller that claimed every chunk first takes back the task no worker
  // had started: the run does not wait for one.
  const lazy = new WorkerPool({ size: 2, roundTripMs: 0 });
  try {
    assert.deepEqual((await lazy.run("gelu", x.reshape([1024, 1024]))).data, expected);
    assert.ok(lazy.stats().completed <= 1);
  } finally {
    await lazy.close();
  }
  assert.throws(() => new WorkerPool({ callerRuns: "yes" as unknown as boolean }), {
    name: "TypeError",
    message: 'Cannot use callerRuns "yes": expected a boolean',
  });
});
