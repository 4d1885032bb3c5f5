// The Node smoke test of @nonlin/core and @nonlin/workers, run by `deno task test:node` on the
// packages as Node users receive them (ES modules, one file per module, from node_modules).
// Arguments: the README examples to run (as .mjs files). Prints one JSON line of results for
// the Deno side to compare with what Deno computes, and must exit by itself: a pool that kept
// a handle open would hang here.

import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { gelu, getActivation, randn, relu, softmax, tensor } from "@nonlin/core";
import { WorkerPool } from "@nonlin/workers";

for (const example of process.argv.slice(2)) await import(pathToFileURL(example).href);

/** Whether two tensors hold the same bits (NaNs of any payload match). */
function sameBits(a, b) {
  if (a.size !== b.size || a.dtype !== b.dtype) return false;
  for (let i = 0; i < a.size; i++) {
    const p = a.data[i], q = b.data[i];
    if (!Object.is(p, q) && !(p !== p && q !== q)) return false;
  }
  return true;
}

const x = tensor([[-10, 0, 1], [1000, -1000, 0]], { dtype: "float64" });
const results = {
  gelu: gelu(x).toArray(),
  geluTanh: gelu(x, { approximate: "tanh" }).toArray(),
  relu: relu(x).toArray(),
  softmax: softmax(x, { dim: -1 }).toArray(),
  float32: Array.from(getActivation("sigmoid").forward(randn([64], { seed: 5 })).data),
};

const pool = new WorkerPool({ size: 2 });
await pool.ready();
assert.equal(pool.stats().workers, 1);
const big = randn([1 << 20], { seed: 1 });
results.poolGelu = sameBits(await pool.run("gelu", big), gelu(big));
const rows = randn([512, 1000], { seed: 2, shared: true });
results.poolSoftmax = sameBits(await pool.run("softmax", rows, { dim: -1 }), softmax(rows));
const dy = randn([1 << 20], { seed: 3 });
results.poolBackward = sameBits(
  await pool.backward("tanh", dy, big),
  getActivation("tanh").backward(dy, big),
);
results.poolWorked = pool.stats().completed > 0;

const controller = new AbortController();
const aborted = pool.run("gelu", randn([1 << 22], { seed: 4 }), { signal: controller.signal });
controller.abort();
await assert.rejects(aborted, { name: "AbortError" });
await pool.close();
await assert.rejects(pool.run("relu", tensor([1])), /the pool is closed/);

// Faults: a worker that crashes and one that exits reject their runs and are replaced.
const faulty = new WorkerPool({
  size: 2,
  roundTripMs: 0,
  callerRuns: false,
  workerUrl: new URL("./node_modules/@nonlin/workers/testdata/faulty_worker.js", import.meta.url),
});
const crash = await faulty.run("relu", tensor([666, 1])).catch((e) => e.message);
const exit = await faulty.run("relu", tensor([333, 1])).catch((e) => e.message);
const after = await faulty.run("relu", tensor([-1, 2]));
await faulty.close();
results.faults = { crash, exit, after: after.toArray() };

console.log(JSON.stringify(results));
