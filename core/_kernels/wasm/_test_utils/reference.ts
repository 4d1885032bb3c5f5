// High-precision references for the kernel tests (decimal.js at 32 digits), and ULP distance.
import { Decimal } from "decimal.js";

/** decimal.js configured for the references. */
export const D: typeof Decimal = Decimal.clone({ precision: 32, toExpNeg: -9e15, toExpPos: 9e15 });
type Dec = InstanceType<typeof D>;

const TWO = new D(2);
const SQRT_PI = D.acos(-1).sqrt();
const SQRT2 = TWO.sqrt();

/** The exact value of a float64 as a Decimal (m·2^e, no decimal rounding of the input). */
export function exact(x: number): Dec {
  if (x === 0) return new D(0);
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0), lo = bits.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = BigInt(hi & 0xfffff) * 2n ** 32n + BigInt(lo);
  let e = biased - 1075;
  if (biased === 0) e = -1074;
  else m += 2n ** 52n;
  const v = new D(m.toString()).times(TWO.pow(e));
  return x < 0 ? v.neg() : v;
}

/** erfc(z) to about 28 digits: Taylor series of erf below 2, continued fraction above. */
export function erfc(z: Dec): Dec {
  if (z.isNeg()) return TWO.minus(erfc(z.neg()));
  if (z.lt(2)) {
    const P = D.clone({ precision: 40 });
    const zz = new P(z);
    const z2 = zz.times(zz);
    let term = zz; // (-1)^n z^(2n+1) / n!
    let sum = zz;
    for (let n = 1; n < 400; n++) {
      term = term.times(z2).neg().div(n);
      const t = term.div(2 * n + 1);
      sum = sum.plus(t);
      if (t.abs().lt(1e-40)) break;
    }
    return new D(new P(1).minus(sum.times(2).div(new P(SQRT_PI))));
  }
  // erfc z = exp(-z²)/√π · 1/(z + (1/2)/(z + (2/2)/(z + (3/2)/(z + …)))), evaluated backwards.
  let f = z;
  for (let k = 200; k >= 1; k--) f = z.plus(new D(k).div(2).div(f));
  return z.times(z).neg().exp().div(SQRT_PI.times(f));
}

function sigmoid(a: Dec): Dec {
  // Beyond ±2000 the tail e^-2000 is far below any float's resolution (and slow in decimal.js).
  if (a.gt(2000)) return new D(1);
  if (a.lt(-2000)) return new D(0);
  return new D(1).div(a.neg().exp().plus(1));
}

/** log(1 + e) without losing a tiny e to the 32-digit rounding of 1 + e. */
export function log1p(e: Dec): Dec {
  if (e.abs().gt(1e-6)) return e.plus(1).ln();
  return e.minus(e.pow(2).div(2)).plus(e.pow(3).div(3)).minus(e.pow(4).div(4)).plus(
    e.pow(5).div(5),
  );
}

/** exp(x) - 1 without cancellation near 0. */
function expm1(x: Dec): Dec {
  if (x.abs().gt(1e-6)) return x.exp().minus(1);
  let term = x, sum = x;
  for (let k = 2; k < 8; k++) sum = sum.plus(term = term.times(x).div(k));
  return sum;
}

function softplus(b: Dec): Dec {
  return b.lt(-2000) ? new D(0) : log1p(b.exp());
}

/**
 * The parameters of the kernels that take any, at the activations' defaults (as core passes
 * them: the kernels themselves take a missing parameter as 0).
 */
export const DEFAULT_PARAMS: Readonly<Record<string, readonly number[]>> = {
  elu: [1], // alpha
  softplus: [1, 20], // beta, threshold
};

/** `params` with the missing ones at their defaults: what to pass to wasmUnary for `name`. */
export function withDefaults(name: string, params: readonly number[] = []): number[] {
  const defaults = DEFAULT_PARAMS[name] ?? [];
  return Array.from(
    { length: Math.max(params.length, defaults.length) },
    (_, i) => params[i] ?? defaults[i],
  );
}

/** Exact value of each activation, for a finite input; params as for wasmUnary. */
export const REFERENCE: Record<string, (x: Dec, params: readonly number[]) => Dec> = {
  relu: (x) => (x.isPos() && !x.isZero() ? x : new D(0)),
  sigmoid: (x) => sigmoid(x),
  silu: (x) => x.times(sigmoid(x)),
  geluSigmoid: (x) => x.times(sigmoid(x.times("1.702"))),
  geluTanh: (x) => {
    const c = new D(2).div(D.acos(-1)).sqrt();
    const u = c.times(x.plus(x.pow(3).times("0.044715")));
    return x.times(sigmoid(u.times(2))); // 0.5x(1 + tanh u) = x·σ(2u)
  },
  tanh: (x) => (x.abs().gt(40) ? new D(x.s) : x.tanh()),
  mish: (x) => (x.gt(40) ? x : x.lt(-2000) ? new D(0) : x.times(softplus(x).tanh())),
  softplus: (x, [beta = 1, threshold = 20]) => {
    const b = x.times(beta);
    return b.gt(threshold) ? x : softplus(b).div(beta);
  },
  elu: (x, [alpha = 1]) => x.gt(0) ? x : x.lt(-2000) ? new D(-alpha) : expm1(x).times(alpha),
  hardswish: (x) => x.times(D.min(D.max(x.plus(3), 0), 6)).div(6),
  gelu: (x) => x.gt(60) ? x : x.lt(-60) ? new D(0) : x.times(erfc(x.neg().div(SQRT2))).div(2),
};

/** Limits at ±inf (NaN maps to NaN everywhere). */
export const AT_INFINITY: Record<string, [number, number]> = {
  relu: [0, Infinity],
  sigmoid: [0, 1],
  silu: [-0, Infinity],
  geluSigmoid: [-0, Infinity],
  geluTanh: [-0, Infinity],
  tanh: [-1, 1],
  mish: [-0, Infinity],
  softplus: [0, Infinity],
  elu: [-1, Infinity], // times alpha
  hardswish: [-0, Infinity],
  gelu: [-0, Infinity],
};

/** Distance from y to the exact r in units in the last place of the dtype at r (NaN, or ±inf short of overflow: Infinity). */
export function ulps(y: number, r: Dec, bits: 32 | 64): number {
  const [mant, minExp, maxExp] = bits === 32 ? [23, -149, 127] : [52, -1074, 1023];
  if (Number.isNaN(y)) return Infinity;
  if (!Number.isFinite(y)) {
    // ±inf is right only where the exact value rounds there: past max + half an ulp, same sign.
    const overflow = TWO.pow(maxExp + 1).minus(TWO.pow(maxExp - mant - 1));
    return r.abs().gte(overflow) && (r.isNegative() === y < 0) ? 0 : Infinity;
  }
  if (r.isZero()) return Math.abs(y) / 2 ** minExp;
  const e = Math.floor(Math.log2(Math.abs(r.toNumber()) || 2 ** minExp));
  // Math.log2 of the rounded value may be off by one at a power of two: check with Decimal.
  let ex = e;
  if (r.abs().lt(TWO.pow(ex))) ex--;
  else if (r.abs().gte(TWO.pow(ex + 1))) ex++;
  const ulp = TWO.pow(Math.max(ex - mant, minExp));
  return exact(y).minus(r).abs().div(ulp).toNumber();
}
