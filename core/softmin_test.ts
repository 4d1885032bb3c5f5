import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Softmin, softmin, softminBackward } from "./softmin.ts";
import { softmax } from "./softmax.ts";
import { tensor } from "./tensor.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { roundTo, softminRow, ulpDistance } from "../tests/accuracy/oracle.ts";
import { rowAccuracyTests } from "./_test_utils/softmax_rows.ts";

Deno.test("softmin() is e^-x / Σ e^-x along the last dim, favouring small entries", () => {
  const x = tensor([[1, 2, 3], [0, 0, 0]], { dtype: "float64" });
  const e = [1, 2, 3].map((v) => Math.exp(-v)), s = e[0] + e[1] + e[2];
  assertClose(softmin(x), [e.map((v) => v / s), [1 / 3, 1 / 3, 1 / 3]], { rtol: 1e-15 });
  assertClose(
    softmin(x, { dim: 0 }),
    softmax(tensor([[-1, -2, -3], [0, 0, 0]], { dtype: "float64" }), { dim: 0 }),
    {
      rtol: 0,
      atol: 0,
    },
  );
});

Deno.test("softmin() at ±1000, ±∞ and NaN mirrors softmax, and empty tensors pass", () => {
  const x = tensor([[1000, 1000], [-1000, 0], [0, Infinity], [NaN, 1], [-Infinity, 1]]);
  const y = softmin(x).toArray() as number[][];
  assert.deepEqual(y.slice(0, 3), [[0.5, 0.5], [1, 0], [1, 0]]);
  assert.ok(y[3].every(Number.isNaN));
  assert.ok(y[4].every(Number.isNaN), "-∞ is softmax's +∞: NaN slice, as PyTorch");
  assert.deepEqual(softmin(tensor([], { shape: [2, 0] })).shape, [2, 0]);
  assert.deepEqual(softmin(tensor(3)).toArray(), 1);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`softmin() is within ${bound} ULP of exact in ${dtype}`, () => {
    let s = 5;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const rows = 120, n = 5, xs: number[] = [];
    for (let i = 0; i < rows * n; i++) xs.push(roundTo((next() * 2 - 1) * (i % 3 ? 8 : 80), dtype));
    const y = softmin(tensor(xs, { shape: [rows, n], dtype })).data;
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      const ref = softminRow(xs.slice(r * n, r * n + n));
      for (let j = 0; j < n; j++) {
        worst = Math.max(worst, ulpDistance(y[r * n + j], roundTo(ref[j], dtype), dtype));
      }
    }
    assert.ok(worst <= bound, `${worst} ULP`);
  });
}

Deno.test("softmin() rows sum to 1 and are invariant to shifts (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 8 }),
      fc.double({ min: -100, max: 100, noNaN: true }),
      (v, c) => {
        const a = softmin(tensor(v, { dtype: "float64" })).data;
        const b = softmin(tensor(v.map((t) => t + c), { dtype: "float64" })).data;
        assert.ok(Math.abs([...a].reduce((p, q) => p + q, 0) - 1) < 1e-14);
        a.forEach((p, i) => assert.ok(Math.abs(p - b[i]) < 1e-12));
      },
    ),
  );
});

Deno.test("softminBackward() from the output matches finite differences", () => {
  const x = tensor([[0.5, -1, 2], [3, 0.1, -0.4]], { dtype: "float64" });
  const dy = tensor([[1, 2, 3], [-1, 0.5, 4]], { dtype: "float64" });
  for (const dim of [-1, 0]) {
    assertGradient(
      (v) => softmin(v, { dim }),
      (g, v) => softminBackward(g, softmin(v, { dim }), { dim }),
      x,
      dy,
    );
  }
  assert.deepEqual(softminBackward(tensor([1, 0]), softmin(tensor([0, 0]))).toArray(), [
    -0.25,
    0.25,
  ]);
});

Deno.test("softmin() validates its arguments under its own name and writes into out", () => {
  assert.throws(() => softmin(tensor([1]), { dim: 1 }), {
    name: "RangeError",
    message: /softmin\(\) option dim 1/,
  });
  assert.throws(() => softmin(tensor([1]), { beta: 1 } as never), {
    name: "TypeError",
    message: /softmin\(\) with unknown option "beta"/,
  });
  assert.throws(() => softmin(tensor([1]), { out: tensor([1, 2]) }), /softmin\(\) option out/);
  assert.throws(() => softminBackward(tensor([1]), tensor([1, 2])), /softminBackward\(\)/);
  const x = tensor([0, Infinity]);
  assert.equal(softmin(x, { out: x }), x);
  assert.deepEqual(x.toArray(), [1, 0]);
});

Deno.test("Softmin module caches its output; backward before forward is an error", () => {
  const layer = new Softmin({ dim: 0 });
  assert.throws(() => layer.backward(tensor([1])), /Softmin.backward\(\) before forward/);
  assert.throws(() => new Softmin({ dim: "0" as never }), TypeError);
  assert.deepEqual(layer.forward(tensor([[5], [5]])).toArray(), [[0.5], [0.5]]);
  assert.deepEqual(layer.backward(tensor([[1], [0]])).toArray(), [[-0.25], [0.25]]);
});

rowAccuracyTests("softmin", softmin);
