import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { randn, Softmax, softmax, softmaxBackward, tensor, zeros } from "./mod.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { roundTo, softmaxRow, ulpDistance } from "../tests/accuracy/oracle.ts";
import { rowAccuracyTests } from "./_test_utils/softmax_rows.ts";

Deno.test("softmax() sums to 1 along the chosen dim for 1-d, 2-d and 3-d inputs", () => {
  const cases: [number[], number[]][] = [[[5], [-1, 0]], [[3, 4], [0, 1, -1, -2]], [[2, 3, 4], [
    0,
    1,
    2,
    -1,
    -2,
    -3,
  ]]];
  for (const [shape, dims] of cases) {
    const x = randn(shape, { seed: shape.length, dtype: "float64" }).mul(3);
    for (const dim of dims) {
      const y = softmax(x, { dim });
      assert.deepEqual(y.shape, shape);
      const sums = y.sum({ dim }).data;
      for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-15, `dim ${dim}: ${s}`);
    }
  }
});

Deno.test("softmax() gives the largest input the largest probability", () => {
  const y = softmax(tensor([1, 5, 3, -2])).data;
  assert.equal(Array.from(y).indexOf(Math.max(...y)), 1);
});

Deno.test("softmax() is stable at ±1000 and masks -∞ to exact zeros", () => {
  assert.deepEqual(softmax(tensor([1000, 1000])).toArray(), [0.5, 0.5]);
  assert.deepEqual(softmax(tensor([1000, 0, -1000])).toArray(), [1, 0, 0]);
  assert.deepEqual(softmax(tensor([-1000, -1000])).toArray(), [0.5, 0.5]);
  assert.deepEqual(softmax(tensor([0, -Infinity, 0])).toArray(), [0.5, 0, 0.5]);
});

Deno.test("softmax() turns slices with NaN, +∞ or only -∞ into NaN, leaving other slices alone", () => {
  const y = softmax(tensor([[1, NaN], [Infinity, 1], [-Infinity, -Infinity], [0, 0]]))
    .toArray() as number[][];
  for (let r = 0; r < 3; r++) assert.ok(y[r].every(Number.isNaN), `row ${r}: ${y[r]}`);
  assert.deepEqual(y[3], [0.5, 0.5]);
});

Deno.test("softmax() over an empty dim returns an empty tensor", () => {
  assert.deepEqual(softmax(zeros([3, 0])).shape, [3, 0]);
  assert.deepEqual(softmax(zeros([0, 3]), { dim: 0 }).shape, [0, 3]);
  assert.deepEqual(softmax(tensor(2)).toArray(), 1);
});

Deno.test("softmax() is shift invariant and in [0, 1] (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 20 }),
      fc.double({ min: -500, max: 500, noNaN: true }),
      (xs, c) => {
        const x = tensor(xs, { dtype: "float64" });
        const y = softmax(x);
        assert.ok(Array.from(y.data).every((v) => v >= 0 && v <= 1));
        assertClose(softmax(x.add(c)), y, { rtol: 1e-9, atol: 1e-300 });
      },
    ),
  );
});

Deno.test("softmax() is within 1 ULP (float32) and 2 ULP (float64) of exact", () => {
  for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
    for (let seed = 1; seed <= 20; seed++) {
      const x = randn([3, 50], { seed, dtype }).mul(seed * 10);
      const y = softmax(x).data;
      for (let r = 0; r < 3; r++) {
        const exact = softmaxRow(x.data.subarray(r * 50, r * 50 + 50));
        for (let j = 0; j < 50; j++) {
          const expected = roundTo(exact[j], dtype);
          const ulp = ulpDistance(y[r * 50 + j], expected, dtype);
          assert.ok(ulp <= bound, `${dtype} seed ${seed} [${r}, ${j}]: ${ulp} ULP`);
        }
      }
    }
  }
});

Deno.test("softmaxBackward() matches finite differences along every dim", () => {
  const x = randn([2, 3, 4], { seed: 5, dtype: "float64" });
  const dy = randn([2, 3, 4], { seed: 6, dtype: "float64" });
  for (const dim of [0, 1, 2, -1]) {
    assertGradient(
      (v) => softmax(v, { dim }),
      (g, v) => softmaxBackward(g, softmax(v, { dim }), { dim }),
      x,
      dy,
      { message: `dim ${dim}` },
    );
  }
});

Deno.test("softmax() validates dim and x", () => {
  assert.throws(() => softmax(tensor([[1, 2]]), { dim: 2 }), {
    name: "RangeError",
    message: "Cannot use softmax() option dim 2: expected an integer in [-2, 1]",
  });
  assert.throws(() => softmax(tensor([1]), { dim: 0.5 }), {
    name: "RangeError",
    message: /softmax\(\) option dim 0.5: expected an integer/,
  });
  assert.throws(() => softmax(tensor([1]), { dim: "0" as never }), { name: "TypeError" });
  assert.throws(() => softmax({} as never), {
    name: "TypeError",
    message: /softmax\(\) argument x/,
  });
});

Deno.test("Input → ReLU → Softmax chains into a distribution", async () => {
  const { ReLU } = await import("./mod.ts");
  const x = tensor([[-2, 1, 3], [0.5, -1, 2]]);
  const y = new Softmax().forward(new ReLU().forward(x));
  assert.deepEqual(y.shape, [2, 3]);
  for (const s of y.sum({ dim: -1 }).data) assert.ok(Math.abs(s - 1) < 1e-6);
  assert.ok(y.data[0] === y.data[0] && y.data[0] < y.data[2]);
});

Deno.test("Softmax module caches its output and uses its dim", () => {
  const layer = new Softmax({ dim: 0 });
  assert.throws(() => layer.backward(tensor([1])), /Softmax.backward\(\) before forward/);
  const x = tensor([[1, 2], [3, 4]], { dtype: "float64" });
  const y = layer.forward(x);
  assert.deepEqual(y.data, softmax(x, { dim: 0 }).data);
  const dy = tensor([[1, 0], [0, 1]], { dtype: "float64" });
  assert.deepEqual(layer.backward(dy).data, softmaxBackward(dy, y, { dim: 0 }).data);
  assert.throws(() => new Softmax({ dim: 1.5 }), { name: "RangeError" });
});

rowAccuracyTests("softmax", softmax);
