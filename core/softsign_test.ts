import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Softsign, softsign, softsignBackward } from "./softsign.ts";
import { tensor } from "./tensor.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { softsign as exactSoftsign } from "../tests/accuracy/oracle.ts";
import { describeWorst, worstUlp } from "./_test_utils/sweep.ts";
import { type Case, map } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";

const F32_MAX = 3.4028234663852886e38;

Deno.test("softsign() matches x / (1 + |x|) on ordinary values", () => {
  const xs = [-6, -2.5, -1, -0.25, 0, 0.25, 1, 2.5, 6];
  assertClose(softsign(tensor(xs, { dtype: "float64" })), xs.map((x) => x / (1 + Math.abs(x))), {
    rtol: 1e-15,
  });
  assert.deepEqual(softsign(tensor([1, -3])).toArray(), [0.5, -0.75]);
});

Deno.test("softsign() is ±1 at ±∞ (not NaN), keeps -0, NaN, subnormals and empty tensors", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const y = softsign(tensor([-Infinity, Infinity, -1e30, NaN, -0], { dtype })).data;
    assert.deepEqual([...y.slice(0, 3)], [-1, 1, -1]);
    assert.ok(Number.isNaN(y[3]));
    assert.ok(Object.is(y[4], -0));
    assert.deepEqual(softsign(tensor([], { dtype })).shape, [0]);
  }
  assert.deepEqual(softsign(tensor([F32_MAX, -F32_MAX])).data, new Float32Array([1, -1]));
  assert.deepEqual(softsign(tensor([5e-324, Number.MAX_VALUE], { dtype: "float64" })).toArray(), [
    5e-324,
    1,
  ]);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`softsign() is within ${bound} ULP of exact in ${dtype}`, () => {
    const w = worstUlp(softsign, exactSoftsign, dtype, {
      special: (x) => (x > 0 ? 1 : x < 0 ? -1 : NaN),
      count: 5000,
    });
    assert.ok(w.ulp <= bound, describeWorst("softsign", dtype, w));
  });
}

Deno.test("softsign() is odd, increasing and inside [-1, 1] (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const [ya, yb, yn] = softsign(tensor([lo, hi, -lo], { dtype: "float64" }))
        .toArray() as number[];
      assert.ok(ya <= yb && ya >= -1 && yb <= 1);
      assert.ok(Object.is(yn, -ya));
    }),
  );
});

Deno.test("softsignBackward() is 1 / (1 + |x|)² and matches finite differences", () => {
  const x = tensor([-30, -4, -0.5, 0.5, 2, 9], { dtype: "float64" });
  const dy = tensor([1, 2, 3, 4, 5, 6], { dtype: "float64" });
  assertGradient(softsign, softsignBackward, x, dy);
  const g = softsignBackward(
    tensor([1, 1, 1, 1], { dtype: "float64" }),
    tensor([0, Infinity, 1e160, NaN], { dtype: "float64" }),
  ).data;
  assert.deepEqual([...g.slice(0, 2)], [1, 0]);
  assert.ok(g[2] > 0 && g[2] < 1e-300, "1/(1 + 1e160)² is subnormal, not 0");
  assert.ok(Number.isNaN(g[3]));
});

Deno.test("softsign() validates its arguments and writes into out", () => {
  assert.throws(() => softsign("x" as never), {
    name: "TypeError",
    message: /softsign\(\) argument x "x"/,
  });
  assert.throws(() => softsign(tensor([1]), { alpha: 1 } as never), TypeError);
  assert.throws(() => softsign(tensor([1]), { out: tensor([[1]]) }), RangeError);
  assert.throws(() => softsignBackward(tensor([1]), tensor([1, 2])), RangeError);
  const x = tensor([1, -Infinity]);
  assert.equal(softsign(x, { out: x }), x);
  assert.deepEqual(x.toArray(), [0.5, -1]);
});

Deno.test("Softsign module caches its input; backward before forward is an error", () => {
  const layer = new Softsign();
  assert.throws(() => layer.backward(tensor([1])), /Softsign.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([1, -3])).toArray(), [0.5, -0.75]);
  assert.deepEqual(layer.backward(tensor([1, 32])).toArray(), [0.25, 2]);
});

/** How `deno task verify` checks softsign against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("softsign", () => [{
  forward: {
    exact: oracle.softsign,
    atInfinity: [-1, 1],
    independent: (x) => map(x, (a) => a / (1 + Math.abs(a))),
  },
  backward: {
    exact: (x) => oracle.D(1).div(x.abs().add(1).pow(2)),
    atInfinity: [0, 0],
    independent: (x) => map(x, (a) => 1 / ((1 + Math.abs(a)) * (1 + Math.abs(a)))),
  },
  cutoffs: [2 ** 60, 2 ** 500],
}]);
