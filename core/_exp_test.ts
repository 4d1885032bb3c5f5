import assert from "node:assert/strict";
import { expAccurate, expSplit, ldexp } from "./_exp.ts";
import { random } from "./_test_utils/random.ts";
import {
  gelu,
  geluBackward,
  logSigmoid,
  logSigmoidBackward,
  mish,
  mishBackward,
  setKernels,
  sigmoid,
  sigmoidBackward,
  silu,
  siluBackward,
  softplus,
  softplusBackward,
  type Tensor,
  tensor,
} from "./mod.ts";

/** A double with a random significand and the given binary exponent (subnormals below -1022). */
function withExponent(rand: () => number, e: number): number {
  const m = 1 + Math.floor(rand() * 2 ** 52) / 2 ** 52;
  return ldexp(m, e); // ldexp is under test elsewhere; here exponents stay in one multiply
}

/**
 * v·2^k rounded to nearest, ties to even, in integer arithmetic: v = m·2^e with an integer m,
 * so the result is m·2^(e + k), which only needs rounding below 2^-1074 and above the maximum.
 */
function exactLdexp(v: number, k: number): number {
  let m = Math.abs(v), e = 0;
  while (!Number.isInteger(m)) {
    m *= 2; // exact: m stays below 2^53 and normal
    e--;
  }
  let q = BigInt(m), exp = e + k;
  const sign = v < 0 || Object.is(v, -0) ? -1 : 1;
  if (exp < -1074) {
    const shift = BigInt(-1074 - exp);
    const keep = q >> shift, rest = q - (keep << shift), half = 1n << (shift - 1n);
    q = rest > half || (rest === half && (keep & 1n) === 1n) ? keep + 1n : keep;
    exp = -1074;
  }
  while (q >= 2n ** 53n && (q & 1n) === 0n) {
    q >>= 1n;
    exp++;
  }
  let r = Number(q) * 2 ** -1074; // exact: an integer below 2^54 times the least subnormal
  for (let i = -1074; i < exp; i++) r *= 2; // exact until it overflows, as it should
  return sign * r;
}

Deno.test("ldexp() rounds v·2^k once for every k, subnormal, overflowing and vanishing results included", () => {
  const rand = random(12);
  const ks = [
    -2300,
    -2200,
    -2099,
    -2098,
    -2075,
    -2045,
    -2044,
    -2030,
    -2023,
    -1100,
    -1075,
    -1074,
    -1073,
    -1023,
    -1022,
    -600,
    0,
    600,
    1023,
    1024,
    1100,
    2046,
    2100,
  ];
  for (let i = 0; i < 400; i++) ks.push(Math.round(-2400 + rand() * 4800));
  const vs = [1, -1, 1.5, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** -1022, Number.MAX_VALUE];
  for (let i = 0; i < 60; i++) {
    vs.push((rand() < 0.5 ? -1 : 1) * withExponent(rand, Math.round(-1000 + rand() * 2000)));
  }
  for (const v of vs) {
    for (const k of ks) {
      const expected = exactLdexp(v, k);
      const actual = ldexp(v, k);
      assert.ok(Object.is(actual, expected), `ldexp(${v}, ${k}) = ${actual}, expected ${expected}`);
    }
  }
  assert.ok(Number.isNaN(ldexp(NaN, -2040)));
  assert.equal(ldexp(Infinity, -2040), Infinity);
  assert.ok(Object.is(ldexp(-0, -2040), -0));
});

Deno.test("expSplit() and expAccurate() hold over the whole argument range", () => {
  const s = { hi: 0, lo: 0, k: 0 };
  for (let x = -1500; x <= 709; x += 0.73) {
    expSplit(x, 0, s);
    assert.ok(Number.isFinite(s.hi) && Number.isFinite(s.lo), `expSplit(${x})`);
    const y = expAccurate(x);
    assert.ok(!Number.isNaN(y) && y >= 0, `expAccurate(${x}) = ${y}`);
  }
});

/** Every float32 in [from, to] (both finite, same sign), as numbers. */
function float32Range(from: number, to: number): number[] {
  const f = new Float32Array([from, to]), u = new Uint32Array(f.buffer);
  const [a, b] = u[0] <= u[1] ? [u[0], u[1]] : [u[1], u[0]];
  const out = new Float32Array(b - a + 1), bits = new Uint32Array(out.buffer);
  for (let i = 0; i <= b - a; i++) bits[i] = a + i;
  return Array.from(out);
}

type Op = [string, (x: Tensor) => Tensor, number, number];

// The ranges where an earlier ldexp indexed below its table (exponents in [-2044, -2023]) and
// returned NaN, widened on both sides; every value there underflows, to +0 or -0.
const FORWARD: Op[] = [
  ["sigmoid", (x) => sigmoid(x), -1500, -1300],
  ["silu", (x) => silu(x), -1500, -1300],
  ["softplus", (x) => softplus(x), -1500, -1300],
  ["mish", (x) => mish(x), -1500, -1300],
  ["softplus beta 2", (x) => softplus(x, { beta: 2 }), -760, -650],
  ["logSigmoid", (x) => logSigmoid(x), 1300, 1500],
  ["gelu tanh", (x) => gelu(x, { approximate: "tanh" }), -27.5, -26],
];
const BACKWARD: Op[] = [
  ["sigmoid'", (x) => sigmoidBackward(ones(x), x), -1500, -1300],
  ["silu'", (x) => siluBackward(ones(x), x), -1500, -1300],
  ["softplus'", (x) => softplusBackward(ones(x), x), -1500, -1300],
  ["mish'", (x) => mishBackward(ones(x), x), -1500, -1300],
  ["softplus beta 2'", (x) => softplusBackward(ones(x), x, { beta: 2 }), -760, -650],
  ["logSigmoid'", (x) => logSigmoidBackward(ones(x), x), 1300, 1500],
  ["gelu tanh'", (x) => geluBackward(ones(x), x, { approximate: "tanh" }), -27.5, -26],
];

function ones(x: Tensor): Tensor {
  return tensor(new Array(x.size).fill(1), { dtype: x.dtype });
}

for (const [name, f, from, to] of [...FORWARD, ...BACKWARD]) {
  Deno.test(`${name} is never NaN on every float32 in [${from}, ${to}], both paths and dtypes`, () => {
    const inputs = float32Range(from, to);
    for (const mode of ["auto", "reference"] as const) {
      setKernels(mode);
      try {
        for (const dtype of ["float32", "float64"] as const) {
          const y = f(tensor(inputs, { dtype })).data;
          for (let i = 0; i < y.length; i++) {
            // Every exact value here is below 2^-1100 in magnitude: it rounds to a zero.
            if (y[i] !== 0) {
              assert.fail(`${name}(${inputs[i]}) = ${y[i]} in ${dtype} (${mode}), expected ±0`);
            }
          }
        }
      } finally {
        setKernels("auto");
      }
    }
  });
}

Deno.test("expSplitDD() is accurate to 2^-100 relative where expSplit() stops near 2^-64", async () => {
  const { D, fromDouble } = await import("../tests/accuracy/oracle.ts");
  const { expSplitDD } = await import("./_exp.ts");
  const rand = random(5);
  const s = { hi: 0, lo: 0, k: 0 };
  let worst = 0;
  for (let i = 0; i < 300; i++) {
    const x = -700 + rand() * 1400, xl = x * 2 ** -60 * (rand() - 0.5);
    expSplitDD(x, xl, s);
    const exact = fromDouble(x).add(fromDouble(xl)).exp();
    const got = fromDouble(s.hi).add(fromDouble(s.lo)).mul(D(2).pow(s.k));
    worst = Math.max(worst, got.sub(exact).div(exact).abs().toNumber());
  }
  assert.ok(worst < 2 ** -100, `worst relative error ${worst}`);
});
