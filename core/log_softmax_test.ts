import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  LogSoftmax,
  logSoftmax,
  logSoftmaxBackward,
  randn,
  softmax,
  tensor,
  zeros,
} from "./mod.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { logSoftmaxRow, roundTo, ulpDistance } from "../tests/accuracy/oracle.ts";
import { rowAccuracyTests } from "./_test_utils/softmax_rows.ts";

Deno.test("logSoftmax() stays finite where softmax underflows", () => {
  assert.deepEqual(logSoftmax(tensor([0, -1000])).toArray(), [0, -1000]);
  assert.deepEqual(logSoftmax(tensor([1000, 0], { dtype: "float64" })).toArray(), [0, -1000]);
  assert.deepEqual(logSoftmax(tensor([0, -Infinity])).toArray(), [0, -Infinity]);
});

Deno.test("logSoftmax() rows of NaN, +∞ or only -∞ are NaN; empty dims stay empty", () => {
  const y = logSoftmax(tensor([[NaN, 1], [Infinity, 0], [-Infinity, -Infinity]])).data;
  assert.ok(Array.from(y).every(Number.isNaN));
  assert.deepEqual(logSoftmax(zeros([2, 0])).shape, [2, 0]);
});

Deno.test("logSoftmax() equals log(softmax()) where both are finite (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 12 }),
      (xs) => {
        const x = tensor(xs, { dtype: "float64" });
        const viaLog = Array.from(softmax(x).data).map(Math.log);
        assertClose(logSoftmax(x), viaLog, { rtol: 1e-12, atol: 1e-12 });
      },
    ),
  );
});

Deno.test("logSoftmax() is within 1 ULP (float32) and 2 ULP (float64) of exact", () => {
  for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
    for (let seed = 1; seed <= 20; seed++) {
      // Rows of 40, and one long row set where a naive sum drifts by several ULP.
      const cols = seed === 20 ? 1000 : 40;
      const x = randn([2, cols], { seed, dtype }).mul(seed === 20 ? 20 : seed * 5);
      const y = logSoftmax(x, { dim: 1 }).data;
      for (let r = 0; r < 2; r++) {
        const exact = logSoftmaxRow(x.data.subarray(r * cols, r * cols + cols));
        for (let j = 0; j < cols; j++) {
          const ulp = ulpDistance(y[r * cols + j], roundTo(exact[j], dtype), dtype);
          assert.ok(ulp <= bound, `${dtype} seed ${seed} [${r}, ${j}]: ${ulp} ULP`);
        }
      }
    }
  }
});

Deno.test("logSoftmaxBackward() matches finite differences along every dim", () => {
  const x = randn([3, 4], { seed: 9, dtype: "float64" });
  const dy = randn([3, 4], { seed: 10, dtype: "float64" });
  for (const dim of [0, 1]) {
    assertGradient(
      (v) => logSoftmax(v, { dim }),
      (g, v) => logSoftmaxBackward(g, logSoftmax(v, { dim }), { dim }),
      x,
      dy,
      { message: `dim ${dim}` },
    );
  }
});

Deno.test("LogSoftmax module and option errors", () => {
  const layer = new LogSoftmax({ dim: 0 });
  assert.throws(() => layer.backward(tensor([1])), /LogSoftmax.backward\(\) before forward/);
  layer.forward(tensor([[0], [0]], { dtype: "float64" }));
  assertClose(layer.backward(tensor([[1], [1]], { dtype: "float64" })), [[0], [0]], {
    atol: 1e-15,
  });
  assert.throws(() => logSoftmax(tensor([1, 2]), { dim: -2 }), {
    name: "RangeError",
    message: "Cannot use logSoftmax() option dim -2: expected an integer in [-1, 0]",
  });
});

rowAccuracyTests("logSoftmax", logSoftmax);
