/**
 * What the accuracy verification checks: every element-wise activation of the registry in the
 * option variants users are likely to pick (the defaults, plus the non-default variants the unit
 * tests use), forward and backward. Each side names its exact value (see `oracle.ts`), its
 * limits at ±∞, a second float64 implementation independent of the reference path (the
 * WebAssembly kernels where there are some, else plain formulas), and the cut-off constants of
 * the code, which the float64 sweep visits.
 *
 * @module
 */

import {
  ACTIVATIONS,
  type AnyOptions,
  elu,
  gelu,
  getActivation,
  getKernels,
  mish,
  setKernels,
  sigmoid,
  silu,
  softplus,
  tanh,
  Tensor,
} from "@nonlin/core";
import type { Decimal } from "decimal.js";
import {
  D,
  type Exact,
  exp,
  expm1,
  fromDouble,
  gelu as geluExact,
  geluGrad,
  mish as mishExact,
  mishGrad,
  SELU_ALPHA,
  SELU_SCALE,
  sigmoid as sig,
  softplusOf,
  tanh as tanhExact,
  tanhshrink as tanhshrinkExact,
  vanishing,
} from "./oracle.ts";

/** One direction of one case. */
export interface Side {
  /** The library's result: f(x), or f'(x) as the backward pass with gradOutput 1. */
  run(x: Tensor): Tensor;
  /** The exact value at a finite x (Decimal), for the smooth functions. */
  exact?(x: Decimal): Exact;
  /**
   * The exact value at a finite x as a double-double [hi, lo] (hi the correctly rounded
   * double), for the piecewise-linear functions, whose values are sums and products of two
   * doubles.
   */
  exactDD?(x: number): [number, number];
  /** The values at -∞ and +∞. */
  atInfinity: readonly [number, number];
  /** A second float64 implementation, independent of the reference path, on many inputs. */
  independent?(x: Float64Array): Float64Array;
  /**
   * The exact value for 0 < |x| < 2^-60 as a double-double [x/2, c·x²] (or [x, c·x²]): there the
   * float64 values are exactly halfway between two float32 numbers whenever x/2 is, and only
   * the x² term says which way the exact value lies.
   */
  tiny?(x: number): [number, number];
  /** f(-0) is +0 (an even function, or a square), not -0 as for x·g(x). */
  evenAtZero?: boolean;
}

/** One activation in one option variant. */
export interface Case {
  /** `"softplus(beta=2)"`. */
  readonly id: string;
  /** The registry name. */
  readonly name: string;
  readonly options: AnyOptions;
  /** Whether the forward pass has a WebAssembly kernel, per dtype. */
  readonly kernels: { readonly float32: boolean; readonly float64: boolean };
  readonly forward: Side;
  readonly backward: Side;
  /** Constants in the code where a formula changes: the float64 sweep visits each closely. */
  readonly cutoffs: readonly number[];
}

/** Runs `f` on `x` as a float64 tensor on the kernel path, restoring the mode after. */
function onKernels(f: (t: Tensor) => Tensor, x: Float64Array): Float64Array {
  const mode = getKernels();
  setKernels("auto");
  try {
    return f(new Tensor(x)).data as Float64Array;
  } finally {
    setKernels(mode);
  }
}

/** Element-wise map in plain float64. */
function map(x: Float64Array, f: (v: number) => number): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = f(x[i]);
  return y;
}

/** σ from the float64 kernel, at x and at -x. */
function sigmoids(x: Float64Array, scale = 1): [Float64Array, Float64Array] {
  const v = map(x, (a) => a * scale), w = map(x, (a) => -a * scale);
  return [onKernels((t) => sigmoid(t), v), onKernels((t) => sigmoid(t), w)];
}

/** The product a·b of two doubles as an exact double-double. */
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0) return [p, 0];
  const s = 134217729;
  let t = s * a;
  const ah = t - (t - a), al = a - ah;
  t = s * b;
  const bh = t - (t - b), bl = b - bh;
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

/** The sum a + b of two doubles as an exact double-double. */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  if (!Number.isFinite(s)) return [s, 0];
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}

/** (h + l)/6 for an exact double-double h + l, to 2^-105 (never a tie: 6 = 2·3). */
function sixth([h, l]: [number, number]): [number, number] {
  const q = h / 6;
  const [p, pe] = twoProd(q, 6);
  const r = ((h - p) - pe + l) / 6;
  const hi = q + r;
  return [hi, r - (hi - q)];
}

const C = Math.sqrt(2 / Math.PI);
const SELU_L = SELU_SCALE.toNumber(), SELU_LA = SELU_SCALE.mul(SELU_ALPHA).toNumber();

/** The exact slope of RReLU in evaluation: the mean of the two bounds. */
function rreluSlope(o: AnyOptions): number {
  return ((o.lower as number) + (o.upper as number)) / 2; // exact for the default 1/8 and 1/3? checked below
}

/** A step function's derivative: `inside` where the predicate holds, else 0 (NaN for NaN). */
function stepDD(inside: (v: number) => boolean, value: number): (x: number) => [number, number] {
  return (x) => [x !== x ? x : inside(x) ? value : 0, 0];
}

type Variant = {
  options?: AnyOptions;
  kernels?: { float32: boolean; float64: boolean };
  forward: Omit<Side, "run">;
  backward: Omit<Side, "run">;
  cutoffs?: number[];
};

const NO_KERNEL = { float32: false, float64: false };
const KERNEL = { float32: true, float64: true };

/**
 * The verification variants of every element-wise activation, by registry name. Each entry is
 * a function of the resolved options so that the exact values use the same numbers.
 */
const VARIANTS: Record<string, (o: AnyOptions) => Variant[]> = {
  relu: () => [{
    kernels: KERNEL,
    forward: {
      exactDD: (x) => [x !== x ? x : x > 0 ? x : 0, 0],
      atInfinity: [0, Infinity],
    },
    backward: { exactDD: stepDD((v) => v > 0, 1), atInfinity: [0, 1] },
  }],
  sigmoid: () => [{
    kernels: KERNEL,
    forward: {
      exact: sig,
      atInfinity: [0, 1],
      independent: (x) => onKernels((t) => sigmoid(t), x),
    },
    backward: {
      exact: (x) => sig(x).mul(sig(x.neg())),
      atInfinity: [0, 0],
      independent: (x) => {
        const [a, b] = sigmoids(x);
        return a.map((v, i) => v * b[i]);
      },
    },
    cutoffs: [-1500, -745, -709, -50, -40, 40, 50, 710],
  }],
  tanh: () => [{
    kernels: KERNEL,
    forward: {
      exact: tanhExact,
      atInfinity: [-1, 1],
      independent: (x) => onKernels((t) => tanh(t), x),
    },
    backward: {
      exact: (x) => {
        const e = exp(x.abs().mul(-2));
        return e.mul(4).div(e.add(1).pow(2));
      },
      atInfinity: [0, 0],
      independent: (x) => {
        const [a, b] = sigmoids(x, 2);
        return a.map((v, i) => 4 * v * b[i]);
      },
    },
    cutoffs: [-25, -20, -0.55, -1e-9, 1e-9, 0.55, 20, 25, 375],
  }],
  gelu: () =>
    (["none", "tanh", "sigmoid"] as const).map((approximate) => ({
      options: { approximate },
      kernels: { float32: true, float64: approximate !== "tanh" },
      forward: {
        exact: geluExact[approximate],
        atInfinity: [-0, Infinity],
        tiny: (x) => [x / 2, (approximate === "sigmoid" ? 0.4255 : 0.3989) * x * x],
        independent: approximate === "tanh"
          ? (x) => {
            const v = map(x, (a) => 2 * C * (a + 0.044715 * a * a * a));
            const s = onKernels((t) => sigmoid(t), v);
            return map(x, (a) => a).map((a, i) => a * s[i]);
          }
          : (x) => onKernels((t) => gelu(t, { approximate }), x),
      },
      backward: {
        exact: geluGrad[approximate],
        atInfinity: [0, 1],
        independent: approximate === "none"
          ? (x) => {
            const g = onKernels((t) => gelu(t), x);
            return map(x, (a) => a).map((a, i) => {
              const phi = Math.abs(a) < 1e-300 ? 0.5 : g[i] / a;
              const xphi = a * Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);
              return phi === 0 ? xphi : phi + xphi; // keeps the sign of a vanishing value
            });
          }
          : approximate === "tanh"
          ? (x) => {
            const v = map(x, (a) => 2 * C * (a + 0.044715 * a * a * a));
            const s = onKernels((t) => sigmoid(t), v);
            const n = onKernels((t) => sigmoid(t), map(v, (a) => -a));
            return map(x, (a) => a).map((a, i) =>
              s[i] * (1 + a * 2 * C * (1 + 3 * 0.044715 * a * a) * n[i])
            );
          }
          : (x) => {
            const v = map(x, (a) => 1.702 * a);
            const [s, n] = sigmoids(v);
            return v.map((a, i) => s[i] * (1 + a * n[i]));
          },
      },
      cutoffs: [-450, -40, -39.6, -37.5, -26.8, -1.77, -0.75, 0.25, 37.5, 40],
    })),
  relu6: () => [{
    forward: {
      exactDD: (x) => [x !== x ? x : x <= 0 ? 0 : x >= 6 ? 6 : x, 0],
      atInfinity: [0, 6],
    },
    backward: { exactDD: stepDD((v) => v > 0 && v < 6, 1), atInfinity: [0, 0] },
    cutoffs: [0, 6],
  }],
  leakyRelu: () =>
    [0.01, 0.2].map((negativeSlope) => ({
      options: { negativeSlope },
      forward: {
        exactDD: (x) => (x !== x ? [x, 0] : x > 0 ? [x, 0] : twoProd(x, negativeSlope)),
        atInfinity: [-Infinity, Infinity],
      },
      backward: {
        exactDD: (x) => [x !== x ? x : x > 0 ? 1 : negativeSlope, 0],
        atInfinity: [negativeSlope, 1],
      },
    })),
  prelu: () => [{
    forward: {
      exactDD: (x) => (x !== x ? [x, 0] : x > 0 ? [x, 0] : twoProd(x, 0.25)),
      atInfinity: [-Infinity, Infinity],
    },
    backward: { exactDD: (x) => [x !== x ? x : x > 0 ? 1 : 0.25, 0], atInfinity: [0.25, 1] },
  }],
  rrelu: (o) => {
    const s = rreluSlope(o);
    return [{
      forward: {
        exactDD: (x) => (x !== x ? [x, 0] : x > 0 ? [x, 0] : twoProd(x, s)),
        atInfinity: [-Infinity, Infinity],
      },
      backward: { exactDD: (x) => [x !== x ? x : x > 0 ? 1 : s, 0], atInfinity: [s, 1] },
    }];
  },
  elu: () =>
    [1, 0.5].map((alpha) => ({
      options: { alpha },
      kernels: KERNEL,
      forward: {
        exact: (x) => (x.gt(0) ? x : fromDouble(alpha).mul(expm1(x))),
        atInfinity: [-alpha, Infinity],
        tiny: (x) => (x > 0 ? [x, 0] : [alpha * x, alpha * x * x / 2]),
        independent: (x) => onKernels((t) => elu(t, { alpha }), x),
      },
      backward: {
        exact: (x) => (x.gt(0) ? D(1) : fromDouble(alpha).mul(exp(x))),
        atInfinity: [0, 1],
        independent: (x) => map(x, (a) => (a > 0 ? 1 : alpha * Math.exp(a))),
      },
      cutoffs: [-745, -40, 0],
    })),
  selu: () => [{
    forward: {
      exact: (x) => SELU_SCALE.mul(x.gt(0) ? x : SELU_ALPHA.mul(expm1(x))),
      atInfinity: [-SELU_LA, Infinity],
      independent: (x) => map(x, (a) => (a > 0 ? SELU_L * a : SELU_LA * Math.expm1(a))),
    },
    backward: {
      exact: (x) => (x.gt(0) ? SELU_SCALE : SELU_SCALE.mul(SELU_ALPHA).mul(exp(x))),
      atInfinity: [0, SELU_L],
      independent: (x) => map(x, (a) => (a > 0 ? SELU_L : SELU_LA * Math.exp(a))),
    },
    cutoffs: [-745, 0],
  }],
  celu: () =>
    [1, 2].map((alpha) => ({
      options: { alpha },
      forward: {
        exact: (x) => (x.gt(0) ? x : fromDouble(alpha).mul(expm1(x.div(fromDouble(alpha))))),
        atInfinity: [-alpha, Infinity],
        independent: (x) => map(x, (a) => (a > 0 ? a : alpha * Math.expm1(a / alpha))),
      },
      backward: {
        exact: (x) => (x.gt(0) ? D(1) : exp(x.div(fromDouble(alpha)))),
        atInfinity: [0, 1],
        independent: (x) => map(x, (a) => (a > 0 ? 1 : Math.exp(a / alpha))),
      },
      cutoffs: [-745 * alpha, 0],
    })),
  hardtanh: () =>
    [[-1, 1], [0, 6]].map(([minVal, maxVal]) => ({
      options: { minVal, maxVal },
      forward: {
        exactDD: (x) => [x !== x ? x : x < minVal ? minVal : x > maxVal ? maxVal : x, 0],
        atInfinity: [minVal, maxVal],
      },
      backward: { exactDD: stepDD((v) => v > minVal && v < maxVal, 1), atInfinity: [0, 0] },
      cutoffs: [minVal, maxVal],
    })),
  hardshrink: () =>
    [0.5, 1].map((lambda) => ({
      options: { lambda },
      forward: {
        exactDD: (x) => [x !== x ? x : x > lambda || x < -lambda ? x : 0, 0],
        atInfinity: [-Infinity, Infinity],
      },
      backward: { exactDD: stepDD((v) => v > lambda || v < -lambda, 1), atInfinity: [1, 1] },
      cutoffs: [-lambda, lambda],
    })),
  softshrink: () =>
    [0.5, 1].map((lambda) => ({
      options: { lambda },
      forward: {
        exactDD: (x) =>
          x !== x
            ? [x, 0]
            : x > lambda
            ? twoSum(x, -lambda)
            : x < -lambda
            ? twoSum(x, lambda)
            : [0, 0],
        atInfinity: [-Infinity, Infinity],
      },
      backward: { exactDD: stepDD((v) => v > lambda || v < -lambda, 1), atInfinity: [1, 1] },
      cutoffs: [-lambda, lambda],
    })),
  threshold: () =>
    [[1, 0.25], [0, 0]].map(([threshold, value]) => ({
      options: { threshold, value },
      forward: {
        exactDD: (x) => [x !== x ? x : x > threshold ? x : value, 0],
        atInfinity: [value, Infinity],
      },
      backward: { exactDD: stepDD((v) => v > threshold, 1), atInfinity: [0, 1] },
      cutoffs: [threshold],
    })),
  hardsigmoid: () => [{
    forward: {
      exactDD: (x) => (x !== x ? [x, 0] : x <= -3 ? [0, 0] : x >= 3 ? [1, 0] : sixth(twoSum(x, 3))),
      atInfinity: [0, 1],
    },
    backward: { exactDD: stepDD((v) => v > -3 && v < 3, 1 / 6), atInfinity: [0, 0] },
    cutoffs: [-3, 3],
  }],
  hardswish: () => [{
    kernels: KERNEL,
    forward: {
      exactDD: (x) => {
        if (x !== x || x >= 3) return [x, 0];
        if (x <= -3) return [-0, 0];
        // x(x + 3)/6 with x + 3 = s + se exact: x·s + x·se, both products exact.
        const [s, se] = twoSum(x, 3);
        const [p, pe] = twoProd(x, s);
        const [q, qe] = twoProd(x, se);
        const [h, he] = twoSum(p, q);
        const r = sixth([h, he + pe + qe]);
        return r[0] === 0 ? [x * 0, 0] : r;
      },
      atInfinity: [-0, Infinity],
    },
    backward: {
      exactDD: (x) => {
        if (x !== x) return [x, 0];
        if (x < -3) return [0, 0];
        if (x > 3) return [1, 0];
        return sixth(twoSum(2 * x, 3));
      },
      atInfinity: [0, 1],
    },
    cutoffs: [-3, 3],
  }],
  silu: () => [{
    kernels: KERNEL,
    forward: {
      exact: (x) => x.mul(sig(x)),
      atInfinity: [-0, Infinity],
      tiny: (x) => [x / 2, x * x / 4],
      independent: (x) => onKernels((t) => silu(t), x),
    },
    backward: {
      exact: (x) => x.lt(-3000) ? vanishing(-1) : sig(x).mul(D(1).add(x.mul(sig(x.neg())))),
      atInfinity: [0, 1],
      independent: (x) => {
        const [s, n] = sigmoids(x);
        return x.map((a, i) => s[i] * (1 + a * n[i]));
      },
    },
    cutoffs: [-1500, -745, -50, -40, -1.2785, 40, 50],
  }],
  mish: () => [{
    kernels: KERNEL,
    forward: {
      exact: mishExact,
      atInfinity: [-0, Infinity],
      independent: (x) => onKernels((t) => mish(t), x),
    },
    backward: {
      exact: mishGrad,
      atInfinity: [0, 1],
      independent: (x) =>
        map(x, (a) => {
          if (a < -40) return (1 + a) * Math.exp(a); // keeps the sign where it underflows
          if (a < 0) {
            const e = Math.exp(a), n = e * (e + 2), d = n + 2;
            return (n * d + 4 * a * e * (1 + e)) / (d * d);
          }
          const t = Math.exp(-a), n = 1 + 2 * t, d = n + 2 * t * t;
          return (n * d + 4 * a * t * t * (1 + t)) / (d * d);
        }),
    },
    cutoffs: [-745, -40, -1.1924, 0, 40],
  }],
  logSigmoid: () => [{
    forward: {
      exact: (x) => softplusOf(x.neg()).neg(),
      atInfinity: [-Infinity, -0],
      independent: (x) =>
        map(x, (a) => (a < 0 ? a - Math.log1p(Math.exp(a)) : -Math.log1p(Math.exp(-a)))),
    },
    backward: {
      exact: (x) => sig(x.neg()),
      atInfinity: [1, 0],
      independent: (x) => onKernels((t) => sigmoid(t), map(x, (a) => -a)),
    },
    cutoffs: [-700, 1, 700, 1500],
  }],
  softplus: () =>
    [[1, 20], [2, 20], [2, 10]].map(([beta, threshold]) => ({
      options: { beta, threshold },
      kernels: KERNEL,
      forward: {
        exact: (x) => {
          const u = x.mul(fromDouble(beta));
          return u.gt(fromDouble(threshold)) ? x : softplusOf(u).div(fromDouble(beta));
        },
        atInfinity: [0, Infinity],
        independent: (x) => onKernels((t) => softplus(t, { beta, threshold }), x),
      },
      backward: {
        exact: (x) => {
          const u = x.mul(fromDouble(beta));
          return u.gt(fromDouble(threshold)) ? D(1) : sig(u);
        },
        atInfinity: [0, 1],
        independent: (x) => {
          const s = onKernels((t) => sigmoid(t), map(x, (a) => a * beta));
          return s.map((v, i) => (x[i] * beta > threshold ? 1 : v));
        },
      },
      cutoffs: [-1500 / beta, -700 / beta, 1 / beta, threshold / beta],
    })),
  softsign: () => [{
    forward: {
      exact: (x) => x.div(x.abs().add(1)),
      atInfinity: [-1, 1],
      independent: (x) => map(x, (a) => a / (1 + Math.abs(a))),
    },
    backward: {
      exact: (x) => D(1).div(x.abs().add(1).pow(2)),
      atInfinity: [0, 0],
      independent: (x) => map(x, (a) => 1 / ((1 + Math.abs(a)) * (1 + Math.abs(a)))),
    },
    cutoffs: [2 ** 60, 2 ** 500],
  }],
  tanhshrink: () => [{
    forward: {
      exact: tanhshrinkExact,
      atInfinity: [-Infinity, Infinity],
      independent: (x) => {
        const t = onKernels((v) => tanh(v), x);
        return x.map((a, i) => (Math.abs(a) < 0.5 ? tanhshrinkSeries(a) : a - t[i]));
      },
    },
    backward: {
      exact: (x) => tanhExact(x).pow(2),
      atInfinity: [1, 1],
      evenAtZero: true,
      independent: (x) => onKernels((v) => tanh(v), x).map((t) => t * t),
    },
    cutoffs: [2 ** -26, 0.55, 20, 40],
  }],
};

/**
 * The coefficients of x - tanh(x) = Σ c_k x^(2k+1), from tanh' = 1 - tanh²: with
 * tanh = Σ a_k x^(2k+1), (2k + 1)·a_k = -Σ_{i+j=k-1} a_i·a_j.
 */
const TANH_COEFFICIENTS: number[] = (() => {
  const a: Decimal[] = [D(1)];
  for (let k = 1; k < 40; k++) {
    let s = D(0);
    for (let i = 0; i <= k - 1; i++) s = s.add(a[i].mul(a[k - 1 - i]));
    a.push(s.neg().div(2 * k + 1));
  }
  return a.map((v) => v.toNumber());
})();

/** x - tanh(x) for |x| < 0.5 by its series (terms shrink by about x²/2.5 each). */
function tanhshrinkSeries(x: number): number {
  const x2 = x * x;
  let s = 0;
  for (let k = TANH_COEFFICIENTS.length - 1; k >= 1; k--) s = s * x2 - TANH_COEFFICIENTS[k];
  return x * x2 * s;
}

function describe(o: AnyOptions): string {
  const keys = Object.keys(o);
  return keys.length === 0 ? "" : `(${keys.map((k) => `${k}=${o[k]}`).join(", ")})`;
}

/** Every verification case, in registry order; throws if an element-wise entry has none. */
export function verificationCases(): Case[] {
  const cases: Case[] = [];
  for (const entry of ACTIVATIONS) {
    if (entry.kind !== "elementwise") continue;
    const variants = VARIANTS[entry.name];
    if (variants === undefined) {
      throw new Error(`No accuracy verification for the element-wise activation ${entry.name}`);
    }
    const defaults: AnyOptions = {};
    for (const o of entry.options) defaults[o.name] = o.default;
    for (const v of variants(defaults)) {
      const options = v.options ?? {};
      const info = getActivation(entry.name);
      cases.push({
        id: `${entry.name}${describe(options)}`,
        name: entry.name,
        options,
        kernels: v.kernels ?? NO_KERNEL,
        forward: { ...v.forward, run: (x) => info.forward(x, options) },
        backward: {
          ...v.backward,
          run: (x) => {
            const dy = new Tensor(
              x.dtype === "float32"
                ? new Float32Array(x.size).fill(1)
                : new Float64Array(x.size).fill(1),
            );
            return info.backward(dy, x, options);
          },
        },
        cutoffs: v.cutoffs ?? [0],
      });
    }
  }
  return cases;
}
