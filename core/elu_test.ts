import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ELU, elu, eluBackward } from "./elu.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import { type Case, map, onKernels } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";

const NEAR_ZERO = [-1e-10, -1e-20, -1e-300, -2e-308, -0.5, -1, -20, -36, -37, -709, -745];

Deno.test("elu() closed form: alpha·(e^x - 1) below 0, x above", () => {
  const y = elu(tensor([-1, 0, 2], { dtype: "float64" })).data;
  assert.deepEqual(Array.from(y), [Math.expm1(-1), 0, 2]);
  const z = elu(tensor([-1, 3], { dtype: "float64" }), { alpha: 0.5 }).data;
  assert.deepEqual(Array.from(z), [0.5 * Math.expm1(-1), 3]);
  // expm1 keeps the relative accuracy that e^x - 1 loses near 0.
  assert.equal(elu(tensor([-1e-10], { dtype: "float64" })).data[0], -9.999999999500001e-11);
  assert.equal(Math.exp(-1e-10) - 1, -1.000000082740371e-10);
});

Deno.test("elu() extremes: ±1000, ±∞, float max, NaN, ±0, subnormals, empty", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
    const y = elu(
      tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0, tiny, -tiny], { dtype }),
      { alpha: 2 },
    ).data;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [1000, -2, Infinity, -2, max, -2]);
    assert.ok(Number.isNaN(y[6]));
    assert.ok(Object.is(y[7], 0) && Object.is(y[8], -0), "the sign of zero is kept");
    assert.equal(y[9], tiny);
    assert.equal(y[10], -2 * tiny, "elu(-tiny) = -alpha·tiny, not 0");
  }
  assert.equal(elu(tensor([], { dtype: "float64" })).size, 0);
  assert.ok(Object.is(elu(tensor([-3]), { alpha: 0 }).data[0], -0), "alpha = 0 is ReLU");
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  for (const alpha of [1, 0.7, 2.5]) {
    Deno.test(`elu({ alpha: ${alpha} }) is within ${bound} ULP of exact in ${dtype}`, () => {
      const w = sweep(
        (x) => elu(x, { alpha }),
        oracle.elu(alpha),
        dtype,
        (s) => (s > 0 ? Infinity : -alpha),
        { count: 1000, extra: NEAR_ZERO },
      );
      assert.ok(w.ulp <= bound, describeWorst(`elu alpha ${alpha}`, dtype, w));
    });
  }
}

Deno.test("elu() is monotonic, above x and above -alpha (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      const [ya, yb] = elu(tensor([a, b], { dtype: "float64" })).data;
      if (a <= b) assert.ok(ya <= yb);
      assert.ok(ya >= a && ya >= -1);
    }),
  );
});

Deno.test("eluBackward() matches finite differences; elu'(0) = alpha (PyTorch's convention)", () => {
  const x = tensor([-30, -5, -1, -0.1, 0.1, 1, 5], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3, -2, 1], { dtype: "float64" });
  for (const alpha of [1, 0.3, 2]) {
    assertGradient((v) => elu(v, { alpha }), (g, v) => eluBackward(g, v, { alpha }), x, dy);
  }
  const g = eluBackward(tensor([2, 2, 2, 2]), tensor([0, -Infinity, Infinity, NaN]), {
    alpha: 0.5,
  }).data;
  assert.deepEqual(Array.from(g.subarray(0, 3)), [1, 0, 2]);
  assert.ok(Number.isNaN(g[3]));
});

Deno.test("elu() validates alpha", () => {
  assert.throws(() => elu(tensor([1]), { alpha: -1 }), {
    name: "RangeError",
    message: "Cannot use elu() option alpha -1: expected a number ≥ 0",
  });
  assert.throws(() => elu(tensor([1]), { alpha: Infinity }), {
    name: "RangeError",
    message: "Cannot use elu() option alpha Infinity: expected a finite number ≥ 0",
  });
  assert.throws(() => elu(tensor([1]), { alpha: "1" as never }), {
    name: "TypeError",
    message: /elu\(\) option alpha "1"/,
  });
  assert.throws(() => eluBackward(tensor([1]), tensor([1]), { alpha: NaN }), {
    name: "RangeError",
    message: /eluBackward\(\) option alpha NaN/,
  });
  assert.throws(() => new ELU({ beta: 1 } as never), {
    name: "TypeError",
    message: 'Cannot call ELU() with unknown option "beta": expected one of "alpha"',
  });
});

Deno.test("ELU module: forward, backward, and backward before forward", () => {
  const layer = new ELU({ alpha: 2 });
  assert.throws(() => layer.backward(tensor([1])), /ELU.backward\(\) before forward/);
  const x = tensor([-1, 0, 1], { dtype: "float64" });
  assert.deepEqual(layer.forward(x).data, elu(x, { alpha: 2 }).data);
  const dy = tensor([1, 1, 1], { dtype: "float64" });
  assert.deepEqual(layer.backward(dy).toArray(), [2 * Math.exp(-1), 2, 1]);
});

/** How `deno task verify` checks elu against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("elu", () =>
  [1, 0.5].map((alpha) => ({
    options: { alpha },
    forward: {
      exact: oracle.elu(alpha),
      atInfinity: [-alpha, Infinity],
      tiny: (x) => (x > 0 ? [x, 0] : [alpha * x, alpha * x * x / 2]),
      independent: (x) => onKernels((t) => elu(t, { alpha }), x),
    },
    backward: {
      exact: (x) => (x.gt(0) ? oracle.D(1) : oracle.fromDouble(alpha).mul(oracle.exp(x))),
      atInfinity: [0, 1],
      independent: (x) => map(x, (a) => (a > 0 ? 1 : alpha * Math.exp(a))),
    },
    cutoffs: [-745, -40, 0],
  })));
