import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { PReLU, prelu, preluBackward } from "./prelu.ts";
import { randn, type Tensor, tensor } from "./tensor.ts";
import { assertClose, assertGradient, numericalGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, twoProd } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("prelu() with one shared slope and with one slope per channel (dim 1)", () => {
  const x = tensor([[[-4, 2], [-4, -8]], [[1, -2], [-1, 3]]], { dtype: "float64" }); // [2, 2, 2]
  assert.deepEqual(prelu(x, tensor([0.25])).toArray(), [[[-1, 2], [-1, -2]], [[1, -0.5], [
    -0.25,
    3,
  ]]]);
  assert.deepEqual(prelu(x, tensor([0.5, 0.25])).toArray(), [[[-2, 2], [-1, -2]], [[1, -1], [
    -0.25,
    3,
  ]]]);
  // A 0-d weight is one shared slope, as in PyTorch; 0-d and 1-d inputs have no channels.
  assert.deepEqual(prelu(tensor([-2, 2]), tensor(0.5)).toArray(), [-1, 2]);
  assert.equal(prelu(tensor(-8), tensor([0.25])).item(), -2);
});

Deno.test("prelu() extremes: ±1000, ±∞, NaN, ±0, subnormals, empty, a zero slope at -∞", () => {
  const w = tensor([0.5], { dtype: "float64" });
  const y = prelu(
    tensor([1000, -1000, Infinity, -Infinity, NaN, 0, -0, -5e-324], { dtype: "float64" }),
    w,
  ).data;
  assert.deepEqual(Array.from(y.subarray(0, 4)), [1000, -500, Infinity, -Infinity]);
  assert.ok(Number.isNaN(y[4]));
  assert.ok(Object.is(y[5], 0) && Object.is(y[6], -0));
  assert.ok(Object.is(y[7], -0), "-5e-324 · 0.5 rounds to -0 (ties to even)");
  assert.deepEqual(prelu(tensor([-Infinity, -1, 1]), tensor([0])).toArray(), [0, 0, 1]);
  assert.deepEqual(prelu(tensor([], { shape: [0, 3] }), tensor([1, 2, 3])).shape, [0, 3]);
  assert.deepEqual(prelu(tensor([-3.4028234663852886e38]), tensor([0.25])).toArray(), [
    Math.fround(-8.507058665963221e37),
  ]);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`prelu() is within ${bound} ULP in ${dtype} (slope 0.1 in the weight's dtype)`, () => {
    const weight = tensor([0.1], { dtype });
    const w = sweep(
      (x) => prelu(x, weight),
      oracle.leakyRelu(weight.data[0]),
      dtype,
      (s) => s * Infinity,
    );
    assert.ok(w.ulp <= bound, describeWorst("prelu", dtype, w));
  });
}

Deno.test("prelu() agrees with a per-element leaky ReLU for every channel (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 12, maxLength: 12 }),
      fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
      (values, slopes) => {
        const x = tensor(values, { dtype: "float64", shape: [2, 3, 2] });
        const y = prelu(x, tensor(slopes, { dtype: "float64" })).data;
        for (let i = 0; i < 12; i++) {
          const c = Math.floor(i / 2) % 3, v = values[i];
          // A zero slope gives +0 for every non-positive input, as ReLU does.
          assert.equal(y[i], v > 0 ? v : slopes[c] === 0 ? 0 : v * slopes[c]);
        }
      },
    ),
  );
});

Deno.test("preluBackward() gradInput and gradWeight match finite differences", () => {
  const x = randn([3, 4, 5], { seed: 5, dtype: "float64" });
  const dy = randn([3, 4, 5], { seed: 6, dtype: "float64" });
  const weight = tensor([0.1, -0.3, 0.25, 0.5], { dtype: "float64" });
  const { gradInput, gradWeight } = preluBackward(dy, x, weight);
  assertGradient((v) => prelu(v, weight), (g, v) => preluBackward(g, v, weight).gradInput, x, dy);
  const numeric = numericalGradient((w: Tensor) => prelu(x, w), weight, dy);
  assertClose(gradWeight, numeric, { rtol: 1e-6, atol: 1e-8, message: "gradWeight" });
  assert.equal(gradInput.dtype, "float64");
  assert.deepEqual(gradWeight.shape, [4]);
  // A shared slope collects the contributions of every element.
  const shared = preluBackward(dy, x, tensor([0.2], { dtype: "float64" })).gradWeight;
  assertClose(shared, [gradWeight.sum().item()], { rtol: 1e-12 });
});

Deno.test("preluBackward() conventions: the slope applies at 0, NaN propagates", () => {
  const { gradInput, gradWeight } = preluBackward(
    tensor([1, 1, 1, 1]),
    tensor([0, 2, -4, NaN]),
    tensor([0.5]),
  );
  assert.deepEqual(Array.from(gradInput.data.subarray(0, 3)), [0.5, 1, 0.5]);
  assert.ok(Number.isNaN(gradInput.data[3]));
  assert.ok(Number.isNaN(gradWeight.data[0]));
  const g = preluBackward(
    tensor([1, 1, 1]),
    tensor([0, 2, -4]),
    tensor([0.5], { dtype: "float64" }),
  );
  assert.deepEqual(g.gradWeight.toArray(), [-4]);
  assert.equal(g.gradWeight.dtype, "float64", "gradWeight has the weight's dtype");
  assert.equal(g.gradInput.dtype, "float32", "gradInput has the input's dtype");
});

Deno.test("prelu() rejects weights that do not fit the input", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.throws(() => prelu(x, tensor([0.1, 0.2])), {
    name: "RangeError",
    message:
      "Cannot use prelu() argument weight of 2 slopes with x of shape [2, 3]: expected 1 or 3 (the size of dim 1)",
  });
  assert.throws(() => prelu(tensor([1, 2]), tensor([0.1, 0.2])), {
    name: "RangeError",
    message:
      "Cannot use prelu() argument weight of 2 slopes with x of shape [2]: expected 1 slope, since x has no channel dimension (dim 1)",
  });
  assert.throws(() => prelu(x, tensor([[0.1, 0.2, 0.3]])), {
    name: "RangeError",
    message: /weight of shape \[1, 3\]: expected a 1-d tensor/,
  });
  assert.throws(() => prelu(x, tensor([])), RangeError);
  assert.throws(() => prelu(x, [0.25] as never), {
    name: "TypeError",
    message: "Cannot use prelu() argument weight [0.25]: expected a Tensor",
  });
  assert.throws(() => prelu(x, tensor([0.25]), { weight: 1 } as never), {
    name: "TypeError",
    message: /unknown option "weight": expected one of "out"/,
  });
  assert.throws(() => preluBackward(tensor([1]), x, tensor([0.25])), {
    name: "RangeError",
    message: /preluBackward\(\) argument gradOutput of shape \[1\]/,
  });
});

Deno.test("PReLU module: learnable weight, gradWeight after backward, errors", () => {
  const layer = new PReLU({ numParameters: 3, init: 0.1 });
  assert.deepEqual(layer.weight.shape, [3]);
  assert.equal(layer.weight.dtype, "float32");
  assert.equal(layer.gradWeight?.size, undefined, "no gradWeight before backward");
  assert.throws(() => layer.backward(tensor([1])), /PReLU.backward\(\) before forward/);
  const x = tensor([[-1, -2, 3], [-4, 5, -6]], { dtype: "float64" });
  const w = Math.fround(0.1);
  assert.deepEqual(layer.forward(x).toArray(), [[-w, -2 * w, 3], [-4 * w, 5, -6 * w]]);
  const dy = tensor([[1, 1, 1], [1, 1, 1]], { dtype: "float64" });
  assert.deepEqual(layer.backward(dy).toArray(), [[w, w, 1], [w, 1, w]]);
  assert.deepEqual(layer.gradWeight?.toArray(), [-5, -2, -6]);
  // Replacing the weight takes effect at the next forward.
  layer.weight = tensor([1, 1, 1]);
  assert.deepEqual(layer.forward(x).toArray(), x.toArray());
  assert.deepEqual(new PReLU({ dtype: "float64" }).weight.toArray(), [0.25]);
  assert.throws(() => new PReLU({ numParameters: 0 }), {
    name: "RangeError",
    message: "Cannot use PReLU() option numParameters 0: expected an integer ≥ 1",
  });
  assert.throws(() => new PReLU({ numParameters: 1.5 }), RangeError);
  assert.throws(() => new PReLU({ init: "0.25" as never }), TypeError);
  assert.throws(() => new PReLU({ numParameters: 2 }).forward(tensor([[1, 2, 3]])), {
    name: "RangeError",
    message: /expected 1 or 3 \(the size of dim 1\)/,
  });
});

/** How `deno task verify` checks prelu against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("prelu", () => [{
  forward: {
    exactDD: (x) => (x !== x ? [x, 0] : x > 0 ? [x, 0] : twoProd(x, 0.25)),
    atInfinity: [-Infinity, Infinity],
  },
  backward: { exactDD: (x) => [x !== x ? x : x > 0 ? 1 : 0.25, 0], atInfinity: [0.25, 1] },
}]);
