import assert from "node:assert/strict";
import { boundKernels } from "./internal.ts";
import {
  getActivation,
  getKernels,
  kernelsActive,
  logSoftmax,
  randn,
  setKernels,
  sigmoid,
  softmax,
  type Tensor,
  tensor,
  zeros,
} from "./mod.ts";
import { ulpDistance } from "../tests/accuracy/oracle.ts";

// The default ("auto") path: WebAssembly SIMD kernels where the host has them. The reference
// path has its own, tighter suites in each activation's test file.
setKernels("auto");

Deno.test("kernels are active by default under Deno and can be switched off", () => {
  assert.equal(getKernels(), "auto");
  assert.equal(kernelsActive(), true);
  setKernels("reference");
  assert.equal(kernelsActive(), false);
  setKernels("auto");
  assert.equal(kernelsActive(), true);
  assert.throws(() => setKernels("fast" as never), {
    name: "RangeError",
    message: 'Cannot use kernels "fast": expected "auto" or "reference"',
  });
});

/**
 * Every element-wise kernel the registry binds, with each option value that picks a kernel
 * (GELU's approximate) and the kernel parameters at their defaults. Their accuracy against exact
 * values is checked on 2^20 float32 inputs and every float64 binade by tests/accuracy (both
 * paths); here, what the kernels must share with the reference path.
 */
const CASES: [string, (x: Tensor) => Tensor][] = boundKernels()
  .filter((k) => k.layout === "elementwise")
  .map((
    k,
  ) => [
    `${k.activation}${JSON.stringify(k.options)}`,
    (x) => getActivation(k.activation).forward(x, k.options),
  ]);

Deno.test("the registry binds the element-wise kernels", () => {
  assert.ok(CASES.length >= 11, CASES.map(([n]) => n).join(", "));
});

Deno.test("default kernels keep NaN, limits and signed zeros like the reference", () => {
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1000, -1000, 5e-324, -5e-324];
  for (const [name, f] of CASES) {
    for (const dtype of ["float32", "float64"] as const) {
      const x = tensor(specials, { dtype });
      const fast = f(x).data;
      setKernels("reference");
      const ref = f(x).data;
      setKernels("auto");
      for (let i = 0; i < specials.length; i++) {
        // Limits and NaN match exactly (zeros up to their sign); finite inputs may differ by
        // the kernels' bound.
        const v = specials[i];
        const same = Number.isFinite(v) && v !== 0
          ? ulpDistance(fast[i], ref[i], dtype) <= (dtype === "float32" ? 3 : 6)
          : fast[i] === ref[i] || (Number.isNaN(fast[i]) && Number.isNaN(ref[i]));
        assert.ok(
          same,
          `${name} ${dtype} at ${specials[i]}: kernel ${fast[i]}, reference ${ref[i]}`,
        );
      }
    }
  }
});

Deno.test("default kernels give the same bits for a tensor and for its pieces", () => {
  // The pool relies on this: results must not depend on where a shard starts or ends.
  const x = randn([100_003], { seed: 4 }).mul(8);
  for (const [name, f] of CASES) {
    const whole = f(x).data;
    for (const [a, b] of [[0, 1], [1, 7], [7, 65_541], [65_541, 100_003]]) {
      const part = f(tensor(x.data.subarray(a, b))).data;
      for (let i = 0; i < part.length; i++) {
        if (!Object.is(part[i], whole[a + i])) {
          assert.fail(`${name}: element ${a + i} differs inside [${a}, ${b})`);
        }
      }
    }
  }
});

Deno.test("softmax and logSoftmax kernels: rows sum to 1, extremes, long rows, within bounds of the reference", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const cols of [1, 3, 1000, 20_000]) {
      const x = randn([3, cols], { seed: cols, dtype }).mul(20);
      const p = softmax(x);
      for (const s of p.sum({ dim: 1 }).data) assert.ok(Math.abs(s - 1) < 1e-5, `${dtype} ${cols}`);
      setKernels("reference");
      const ref = softmax(x).data, refLog = logSoftmax(x).data;
      setKernels("auto");
      const log = logSoftmax(x).data;
      // Kernel ≤ 2 / 4 ULP and reference ≤ 1 / 2 ULP from exact: at most 3 / 6 apart.
      const bound = dtype === "float32" ? 3 : 6;
      for (let i = 0; i < ref.length; i++) {
        const d = ulpDistance(p.data[i], ref[i], dtype), e = ulpDistance(log[i], refLog[i], dtype);
        assert.ok(d <= bound, `${dtype} cols ${cols} softmax[${i}]: ${d} ULP from the reference`);
        assert.ok(
          e <= bound,
          `${dtype} cols ${cols} logSoftmax[${i}]: ${e} ULP from the reference`,
        );
      }
    }
  }
  assert.deepEqual(softmax(tensor([1000, 1000])).toArray(), [0.5, 0.5]);
  assert.deepEqual(softmax(tensor([0, -Infinity])).toArray(), [1, 0]);
  const bad = softmax(tensor([[NaN, 1], [Infinity, 0], [-Infinity, -Infinity]])).data;
  assert.ok(Array.from(bad).every(Number.isNaN));
  // The exact value is -log1p(e^-1000) = -5e-435: -0 and +0 are both a correct rounding of it.
  const [top, low] = logSoftmax(tensor([0, -1000])).toArray() as number[];
  assert.ok(top === 0 && low === -1000, `${top}, ${low}`);
  assert.deepEqual(softmax(zeros([2, 0])).shape, [2, 0]);
});

Deno.test("default kernels write into out and work in place on shared memory", () => {
  const x = randn([70_000], { seed: 2, shared: true });
  const expected = sigmoid(x).data;
  const out = zeros([70_000], { shared: true });
  assert.equal(sigmoid(x, { out }), out);
  assert.deepEqual(out.data, expected);
  sigmoid(x, { out: x });
  assert.deepEqual(x.data, expected);
});
