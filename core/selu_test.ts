import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { SELU, selu, seluBackward } from "./selu.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import { type Case, map, SELU_L, SELU_LA } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";

const SCALE = 1.0507009873554805, SA = 1.7580993408473768; // λ and λα, rounded

Deno.test("selu() closed form with PyTorch's constants", () => {
  const y = selu(tensor([-1, 0, 1, 2], { dtype: "float64" })).data;
  assert.ok(Math.abs(y[0] - SA * Math.expm1(-1)) < 1e-15);
  assert.equal(y[1], 0);
  assert.equal(y[2], SCALE);
  assert.equal(y[3], 2 * SCALE);
  // λ·α carried in double-double: selu(-1e-30) is λα·x correctly rounded, which the product of
  // the rounded constant misses by one ULP.
  assert.equal(selu(tensor([-1e-30], { dtype: "float64" })).data[0], -1.7580993408473772e-30);
  assert.equal(SA * -1e-30, -1.758099340847377e-30);
});

Deno.test("selu() extremes: ±1000, ±∞, float max, NaN, ±0, subnormals, empty", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const y = selu(tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0], { dtype }))
      .data;
    const round = dtype === "float32" ? Math.fround : (v: number) => v;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [
      round(1000 * SCALE),
      round(-SA),
      Infinity,
      round(-SA),
      dtype === "float32" ? Infinity : Infinity, // λ·max overflows in both dtypes
      round(-SA),
    ]);
    assert.ok(Number.isNaN(y[6]));
    assert.ok(Object.is(y[7], 0) && Object.is(y[8], -0));
  }
  const sub = selu(tensor([5e-324, -5e-324], { dtype: "float64" })).data;
  assert.deepEqual(Array.from(sub), [5e-324, -1e-323]);
  assert.equal(selu(tensor([])).size, 0);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`selu() is within ${bound} ULP of exact (32-digit constants) in ${dtype}`, () => {
    const w = sweep(selu, oracle.selu, dtype, (s) => (s > 0 ? Infinity : -SA), {
      extra: [-1e-10, -1e-300, -2e-308, 1e300, 1.7e308, -745, -0.5, 0.5],
    });
    assert.ok(w.ulp <= bound, describeWorst("selu", dtype, w));
  });
}

Deno.test("selu() is monotonic and bounded below by -λα (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      const [ya, yb] = selu(tensor([a, b], { dtype: "float64" })).data;
      if (a <= b) assert.ok(ya <= yb);
      assert.ok(ya >= -SA);
    }),
  );
});

Deno.test("seluBackward() matches finite differences; selu'(0) = λα (PyTorch's convention)", () => {
  const x = tensor([-30, -5, -1, -0.1, 0.1, 1, 5], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3, -2, 1], { dtype: "float64" });
  assertGradient(selu, seluBackward, x, dy);
  const g = seluBackward(tensor([1, 1, 1, 1]), tensor([0, -Infinity, Infinity, NaN])).data;
  assert.deepEqual(Array.from(g.subarray(0, 3)), [Math.fround(SA), 0, Math.fround(SCALE)]);
  assert.ok(Number.isNaN(g[3]));
});

Deno.test("selu() takes no options but out", () => {
  assert.throws(() => selu(tensor([1]), { alpha: 2 } as never), {
    name: "TypeError",
    message: 'Cannot call selu() with unknown option "alpha": expected one of "out"',
  });
  const x = tensor([-1, 1]);
  assert.equal(selu(x, { out: x }), x);
  assert.throws(() => selu([1] as never), TypeError);
});

Deno.test("SELU module: forward, backward, and backward before forward", () => {
  const layer = new SELU();
  assert.throws(() => layer.backward(tensor([1])), /SELU.backward\(\) before forward/);
  const x = tensor([-1, 0, 1], { dtype: "float64" });
  assert.deepEqual(layer.forward(x).data, selu(x).data);
  const dy = tensor([1, 1, 1], { dtype: "float64" });
  assert.deepEqual(layer.backward(dy).toArray(), [SA * Math.exp(-1), SA, SCALE]);
});

/** How `deno task verify` checks selu against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("selu", () => [{
  forward: {
    exact: oracle.selu,
    atInfinity: [-SELU_LA, Infinity],
    independent: (x) => map(x, (a) => (a > 0 ? SELU_L * a : SELU_LA * Math.expm1(a))),
  },
  backward: {
    exact: (
      x,
    ) => (x.gt(0)
      ? oracle.SELU_SCALE
      : oracle.SELU_SCALE.mul(oracle.SELU_ALPHA).mul(oracle.exp(x))),
    atInfinity: [0, SELU_L],
    independent: (x) => map(x, (a) => (a > 0 ? SELU_L : SELU_LA * Math.exp(a))),
  },
  cutoffs: [-745, 0],
}]);
