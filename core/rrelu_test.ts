import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { RReLU, rrelu, rreluBackward } from "./rrelu.ts";
import { randn, tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, rreluSlope, twoProd } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("rrelu() in evaluation is a leaky ReLU with slope (lower + upper) / 2", () => {
  const x = tensor([-48, -1, 0, 5], { dtype: "float64" });
  const a = (1 / 8 + 1 / 3) / 2;
  assert.deepEqual(rrelu(x).toArray(), [-48 * a, -a, 0, 5]);
  assert.deepEqual(rrelu(x, { lower: 0.5, upper: 1 }).toArray(), [-36, -0.75, 0, 5]);
});

Deno.test("rrelu() extremes: ±1000, ±∞, NaN, ±0, empty, float32 max, in both modes", () => {
  for (const training of [false, true]) {
    const y = rrelu(
      tensor([1000, Infinity, -Infinity, NaN, 0, -0, 3.4028234663852886e38]),
      { training, lower: 0.5, upper: 0.5 },
    ).data;
    assert.deepEqual(Array.from(y.subarray(0, 3)), [1000, Infinity, -Infinity]);
    assert.ok(Number.isNaN(y[3]));
    assert.ok(Object.is(y[4], 0) && Object.is(y[5], -0));
    assert.equal(y[6], 3.4028234663852886e38);
    assert.equal(rrelu(tensor([]), { training }).size, 0);
    assert.deepEqual(
      rrelu(tensor([-Infinity, -1]), { training, lower: 0, upper: 0 }).toArray(),
      [0, 0],
      "a zero slope gives 0 at -∞",
    );
  }
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`rrelu() in evaluation is within ${bound} ULP in ${dtype}`, () => {
    const w = sweep(rrelu, oracle.rreluEval(1 / 8, 1 / 3), dtype, (s) => s * Infinity);
    assert.ok(w.ulp <= bound, describeWorst("rrelu", dtype, w));
  });
}

Deno.test("rrelu() in training draws each slope from [lower, upper], reproducibly by seed", () => {
  const x = tensor(new Float64Array(2000).fill(-1), { dtype: "float64" });
  const options = { training: true, lower: 0.1, upper: 0.3, seed: 42 };
  const y = rrelu(x, options).data;
  const slopes = Array.from(y, (v) => -v);
  assert.ok(slopes.every((a) => a >= 0.1 && a <= 0.3));
  const mean = slopes.reduce((s, a) => s + a, 0) / slopes.length;
  assert.ok(Math.abs(mean - 0.2) < 0.01, `mean slope ${mean}`);
  assert.ok(new Set(slopes).size > 1900, "one slope per element");
  assert.deepEqual(rrelu(x, options).data, y, "the same seed draws the same slopes");
  assert.notDeepEqual(rrelu(x, { ...options, seed: 43 }).data, y);
});

Deno.test("rrelu() in training multiplies by the slope the backward pass sees (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e30, max: 1e30, noNaN: true }), { minLength: 1, maxLength: 20 }),
      fc.integer(),
      fc.constantFrom("float32" as const, "float64" as const),
      (values, seed, dtype) => {
        const x = tensor(values, { dtype });
        const options = { training: true, seed };
        const y = rrelu(x, options).data;
        const d = rreluBackward(tensor(values.map(() => 1), { dtype }), x, options).data;
        const round = dtype === "float32" ? Math.fround : (v: number) => v;
        for (let i = 0; i < values.length; i++) {
          const v = x.data[i];
          if (v > 0) {
            assert.equal(d[i], 1);
            assert.equal(y[i], v);
          } else {
            assert.ok(d[i] >= Math.fround(1 / 8) && d[i] <= Math.fround(1 / 3));
            assert.equal(y[i], round(v * d[i]));
          }
        }
      },
    ),
  );
});

Deno.test("rreluBackward() matches finite differences in both modes", () => {
  const x = tensor([-5, -1, -0.2, 0.3, 2, 40], { dtype: "float64" });
  const dy = tensor([1, -2, 3, 0.5, 1, 2], { dtype: "float64" });
  for (const options of [{}, { lower: 0.2, upper: 0.9 }, { training: true, seed: 9 }]) {
    assertGradient((v) => rrelu(v, options), (g, v) => rreluBackward(g, v, options), x, dy);
  }
  const g = rreluBackward(tensor([4, 4]), tensor([0, NaN]), { lower: 0.5, upper: 0.5 }).data;
  assert.equal(g[0], 2, "the slope applies at 0, as in PyTorch");
  assert.ok(Number.isNaN(g[1]));
  const t = rreluBackward(tensor([4]), tensor([NaN]), { training: true }).data;
  assert.ok(Number.isNaN(t[0]));
});

Deno.test("rrelu() validates its options", () => {
  assert.throws(() => rrelu(tensor([1]), { lower: 0.5, upper: 0.25 }), {
    name: "RangeError",
    message: "Cannot use rrelu() options lower 0.5 and upper 0.25: expected lower ≤ upper",
  });
  assert.throws(() => new RReLU({ lower: 1 }), {
    name: "RangeError",
    message: /RReLU\(\) options lower 1 and upper 0\.333/,
  });
  assert.throws(() => rrelu(tensor([1]), { training: "yes" as never }), {
    name: "TypeError",
    message: 'Cannot use rrelu() option training "yes": expected a boolean',
  });
  assert.throws(() => rrelu(tensor([1]), { seed: 1.5 }), {
    name: "RangeError",
    message: "Cannot use rrelu() option seed 1.5: expected an integer",
  });
  assert.throws(() => rrelu(tensor([1]), { lower: NaN }), RangeError);
  assert.throws(() => rrelu(tensor([1]), { alpha: 1 } as never), {
    name: "TypeError",
    message: /unknown option "alpha": expected one of "lower", "upper", "training", "seed", "out"/,
  });
});

Deno.test("RReLU module: fresh slopes per training call, cached for backward; eval mode", () => {
  const layer = new RReLU({ training: true, seed: 5 });
  assert.throws(() => layer.backward(tensor([1])), /RReLU.backward\(\) before forward/);
  const x = randn([64], { seed: 1, dtype: "float64" });
  const first = layer.forward(x);
  assert.deepEqual(first.data, rrelu(x, { training: true, seed: 5 }).data, "first call = rrelu()");
  const dy = tensor(new Float64Array(64).fill(1), { dtype: "float64" });
  assert.deepEqual(layer.backward(dy).data, rreluBackward(dy, x, { training: true, seed: 5 }).data);
  const second = layer.forward(x);
  assert.notDeepEqual(second.data, first.data, "the generator advances");
  const slopes = layer.backward(dy).data;
  for (let i = 0; i < 64; i++) {
    assert.equal(second.data[i], x.data[i] > 0 ? x.data[i] : x.data[i] * slopes[i]);
  }
  assert.throws(() => layer.backward(tensor([1, 2])), {
    name: "RangeError",
    message: /RReLU.backward\(\) argument gradOutput of shape \[2\]/,
  });
  layer.training = false;
  assert.deepEqual(layer.forward(x).data, rrelu(x).data);
  assert.deepEqual(layer.backward(dy).data, rreluBackward(dy, x).data);
});

/** How `deno task verify` checks rrelu against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("rrelu", (o) => {
  const s = rreluSlope(o);
  return [{
    forward: {
      exactDD: (x) => (x !== x ? [x, 0] : x > 0 ? [x, 0] : twoProd(x, s)),
      atInfinity: [-Infinity, Infinity],
    },
    backward: { exactDD: (x) => [x !== x ? x : x > 0 ? 1 : s, 0], atInfinity: [s, 1] },
  }];
});
