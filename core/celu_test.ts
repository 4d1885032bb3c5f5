import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CELU, celu, celuBackward } from "./celu.ts";
import { elu } from "./elu.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import { type Case, map } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";

const NEAR_ZERO = [-1e-10, -1e-20, -1e-300, -2e-308, -0.5, -1, -20, -36, -37, -709, -745];

Deno.test("celu() closed form: alpha·(e^(x/alpha) - 1) below 0, x above", () => {
  const y = celu(tensor([-2, 0, 3], { dtype: "float64" }), { alpha: 2 }).data;
  assert.ok(Math.abs(y[0] - 2 * Math.expm1(-1)) < 1e-15);
  assert.deepEqual(Array.from(y.subarray(1)), [0, 3]);
  const x = tensor([-3, -0.5, 0.5], { dtype: "float64" });
  assert.deepEqual(celu(x).data, elu(x).data, "alpha = 1 is ELU");
});

Deno.test("celu() extremes: ±1000, ±∞, float max, NaN, ±0, subnormals, empty", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
    const y = celu(
      tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0, tiny, -tiny], { dtype }),
      { alpha: 0.25 },
    ).data;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [1000, -0.25, Infinity, -0.25, max, -0.25]);
    assert.ok(Number.isNaN(y[6]));
    assert.ok(Object.is(y[7], 0) && Object.is(y[8], -0), "the sign of zero is kept");
    assert.equal(y[9], tiny);
    assert.equal(y[10], -tiny, "celu(x) ≈ x near 0, even for subnormals");
  }
  assert.equal(celu(tensor([], { dtype: "float64" })).size, 0);
  // A tiny alpha makes x/alpha overflow; the limit -alpha is still reached.
  assert.deepEqual(celu(tensor([-1e300], { dtype: "float64" }), { alpha: 1e-10 }).toArray(), [
    -1e-10,
  ]);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  for (const alpha of [1, 0.3, 3.7, 1e-5]) {
    Deno.test(`celu({ alpha: ${alpha} }) is within ${bound} ULP of exact in ${dtype}`, () => {
      const w = sweep(
        (x) => celu(x, { alpha }),
        oracle.celu(alpha),
        dtype,
        (s) => (s > 0 ? Infinity : -alpha),
        { count: 600, extra: NEAR_ZERO.flatMap((v) => [v, v * alpha]) },
      );
      assert.ok(w.ulp <= bound, describeWorst(`celu alpha ${alpha}`, dtype, w));
    });
  }
}

// Away from subnormals, where x/alpha would itself round.
const normal = fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((v) =>
  v === 0 || Math.abs(v) > 1e-300
);

Deno.test("celu() is monotonic and scales: celu(x, a) = a·celu(x/a, 1) (property)", () => {
  fc.assert(
    fc.property(
      normal,
      normal,
      fc.constantFrom(0.5, 2, 4),
      (a, b, alpha) => {
        const [ya, yb] = celu(tensor([a, b], { dtype: "float64" }), { alpha }).data;
        if (a <= b) assert.ok(ya <= yb);
        assert.ok(ya >= -alpha);
        // Scaling by a power of 2 is exact, so the identity holds to the last bit.
        const scaled = alpha * celu(tensor([a / alpha], { dtype: "float64" })).data[0];
        assert.ok(Math.abs(ya - scaled) <= 4e-16 * Math.abs(ya), `${ya} vs ${scaled}`);
      },
    ),
  );
});

Deno.test("celuBackward() matches finite differences; celu'(0) = 1 from both sides", () => {
  const x = tensor([-30, -5, -1, -0.1, 0.1, 1, 5], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3, -2, 1], { dtype: "float64" });
  for (const alpha of [1, 0.3, 2]) {
    assertGradient((v) => celu(v, { alpha }), (g, v) => celuBackward(g, v, { alpha }), x, dy);
  }
  const g = celuBackward(tensor([2, 2, 2, 2]), tensor([0, -Infinity, Infinity, NaN]), {
    alpha: 0.5,
  }).data;
  assert.deepEqual(Array.from(g.subarray(0, 3)), [2, 0, 2]);
  assert.ok(Number.isNaN(g[3]));
});

Deno.test("celu() validates alpha: it must be finite and > 0", () => {
  assert.throws(() => celu(tensor([1]), { alpha: 0 }), {
    name: "RangeError",
    message: "Cannot use celu() option alpha 0: expected a number > 0",
  });
  assert.throws(() => celu(tensor([1]), { alpha: -1 }), RangeError);
  assert.throws(() => celu(tensor([1]), { alpha: Infinity }), {
    name: "RangeError",
    message: "Cannot use celu() option alpha Infinity: expected a finite number > 0",
  });
  assert.throws(() => new CELU({ alpha: "2" as never }), {
    name: "TypeError",
    message: /CELU\(\) option alpha "2"/,
  });
});

Deno.test("CELU module: forward, backward, and backward before forward", () => {
  const layer = new CELU({ alpha: 2 });
  assert.throws(() => layer.backward(tensor([1])), /CELU.backward\(\) before forward/);
  const x = tensor([-2, 0, 1], { dtype: "float64" });
  assert.deepEqual(layer.forward(x).data, celu(x, { alpha: 2 }).data);
  const dy = tensor([1, 1, 1], { dtype: "float64" });
  assert.deepEqual(layer.backward(dy).toArray(), [Math.exp(-1), 1, 1]);
});

/** How `deno task verify` checks celu against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("celu", () =>
  [1, 2].map((alpha) => ({
    options: { alpha },
    forward: {
      exact: oracle.celu(alpha),
      atInfinity: [-alpha, Infinity],
      independent: (x) => map(x, (a) => (a > 0 ? a : alpha * Math.expm1(a / alpha))),
    },
    backward: {
      exact: (x) => (x.gt(0) ? oracle.D(1) : oracle.exp(x.div(oracle.fromDouble(alpha)))),
      atInfinity: [0, 1],
      independent: (x) => map(x, (a) => (a > 0 ? 1 : Math.exp(a / alpha))),
    },
    cutoffs: [-745 * alpha, 0],
  })));
