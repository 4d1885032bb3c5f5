/**
 * GELU, the Gaussian error linear unit `x·Φ(x)`, exact or in one of its two approximations.
 *
 * @module
 */

import { ELEMENTWISE, type KernelBinding } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { type DD, ddAdd, ddDiv, ddMul, halfTies32, prodError, sumError, ziv32 } from "./_dd.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { erf, ERF_LARGE, erfc, erfcTailLog, highPart } from "./_erf.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import { expAccurate, expSplitDD, ldexp, mulSigmoid, type Split } from "./_exp.ts";
import { gateGrad, gateGradDD, mulExp } from "./_scalars_smooth.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = {
  name: {
    option: "approximate",
    names: { none: "gelu", tanh: "geluTanh", sigmoid: "geluSigmoid" },
  },
};

/** GELU's `approximate`. */
const GELU_OPTIONS: readonly OptionSpec[] = [{
  name: "approximate",
  kind: "enum",
  values: ["none", "tanh", "sigmoid"],
  default: "none",
  description: "exact erf form, or the tanh or sigmoid approximation",
}];

/** Which GELU to compute. */
export type GeluApproximate = "none" | "tanh" | "sigmoid";

/** Options of {@linkcode gelu}. */
export interface GeluOptions extends OutOption {
  /**
   * `"none"`: the exact `x·Φ(x)` with erf; `"tanh"`: `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`
   * as PyTorch's `approximate="tanh"`; `"sigmoid"`: `x·σ(1.702x)`, the course's form (1.702 is a
   * fitted constant, not derived from √(2/π)).
   * @default {"none"}
   */
  approximate?: GeluApproximate;
}

// Constants split into a double and its rounding error, for arguments carried in double-double.
const INV_SQRT2 = 0.7071067811865476, INV_SQRT2_LO = -4.833646656726457e-17;
const LN_SQRT2 = 0.34657359027997264, LN_SQRT2_LO = 1.1595234069231498e-17;
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_2PI = 0.3989422804014327;
const C = 0.7978845608028654, C_LO = -4.98465440455546e-17; // √(2/π)
const K = 0.044715, K_LO = 2.1960211427085595e-18;
const A = 1.702, A_LO = 4.263256414560601e-17;
const SQRT_PI_OVER_2 = 0.886226925452758;
const ONE: DD = { hi: 1, lo: 0 };
const TWO: DD = { hi: 2, lo: 0 };
const TWO_OVER_SQRT_PI_DD: DD = { hi: TWO_OVER_SQRT_PI, lo: 1.533545961316588e-17 };
const INV_SQRT_2PI_DD: DD = { hi: INV_SQRT_2PI, lo: -2.49232720227773e-17 };
const TWO_C: DD = { hi: 2 * C, lo: 2 * C_LO };
const THREE_K: DD = { hi: 0.134145, lo: 1.3526957332032908e-17 }; // 3·0.044715
const split: Split = { hi: 0, lo: 0, k: 0 };
/** Up to this a = |x|/√2, GELU's negative half and its derivative use the double-double erf. */
const DD_ERF_LIMIT = 2;
/** Below this a, erf(a) is small beside 1 and its rounding harmless: the plain forms serve. */
const DD_ERF_FROM = 2 ** -10;

/**
 * f(x) for |x| < 1e-300 of a GELU form: f(x) = x/2 + c·x² with c > 0 to double precision, so
 * x/2 is right unless it is a tie between two subnormals, which c·x² then breaks upwards.
 */
function tinyGelu(x: number): number {
  const h = 0.5 * x;
  if (h * 2 === x) return h;
  return (x + 5e-324) * 0.5 || -0;
}

/**
 * x·Φ(x) = 0.5·x·erfc(-x/√2) in float64.
 *
 * The argument x/√2 is carried in double-double and erf/erfc are corrected to first order for
 * its low part: in the negative tail erfc's condition number grows like 2t², so a rounded t
 * would cost hundreds of ULP. Beyond |t| = 1.25 the tail is rewritten so that no quotient by t
 * remains: 0.5·x·exp(-t² - 0.5625 + R/S)/t = -exp(-x²/2 - 0.5625 + R/S - ln√2), with x²/2
 * split exactly (see `highPart`).
 */
function geluExactScalar(x: number): number {
  if (x !== x) return x;
  if (Math.abs(x) < 1e-300) return tinyGelu(x);
  if (x >= 0) {
    if (x > 40) return x; // Φ(x) rounds to 1; also keeps the split below from overflowing
    const th = x * INV_SQRT2, tl = prodError(x, INV_SQRT2, th) + x * INV_SQRT2_LO;
    if (th >= DD_ERF_FROM && th < DD_ERF_LIMIT) {
      // Here fdlibm's erf (within an ULP of itself) would cost up to an ULP of the result.
      const r = ddMul({ hi: 0.5 * x, lo: 0 }, ddAdd(ONE, erfDD(th, tl)));
      return r.hi + r.lo;
    }
    const e = erf(th) + tl * TWO_OVER_SQRT_PI * Math.exp(-th * th);
    // x/2 + (x/2)·e: 1 + e would round away the low bits of a small e first.
    return 0.5 * x + 0.5 * x * e;
  }
  const ah = -x * INV_SQRT2;
  if (ah < DD_ERF_LIMIT) {
    const al = prodError(-x, INV_SQRT2, ah) - x * INV_SQRT2_LO;
    if (ah < DD_ERF_FROM) return 0.5 * x * (erfc(ah) - al * TWO_OVER_SQRT_PI * Math.exp(-ah * ah));
    // fdlibm's erfc costs more than an ULP here once multiplied by x (its tail form from 1.25
    // on, too), so Φ = (1 - erf(a))/2 is formed from the double-double erf, which keeps its
    // digits through the cancellation (erfc(2) = 0.0047: 8 bits).
    const phi = ddAdd(ONE, ddNeg(erfDD(ah, al)));
    const r = ddMul({ hi: 0.5 * x, lo: 0 }, phi);
    return r.hi + r.lo;
  }
  if (ah >= ERF_LARGE) return -0;
  const z = highPart(x);
  const big = -0.5 * z * z - 0.5625; // exact: z has 21 significant bits
  // The exponent's parts are added in double-double: rounded sums near |h| ≈ 4-800 would each
  // cost up to half an ULP of h, that is |h| ULPs of the result.
  let h: DD = { hi: big, lo: 0 };
  h = ddAdd(h, { hi: -0.5 * (x - z) * (x + z), lo: 0 });
  h = ddAdd(h, { hi: erfcTailLog(ah), lo: 0 });
  h = ddAdd(h, { hi: -LN_SQRT2, lo: -LN_SQRT2_LO });
  return -expAccurate(h.hi, h.lo);
}

function ddNeg(a: DD): DD {
  return { hi: -a.hi, lo: -a.lo };
}

/**
 * erf(t) for |t| ≤ 2 as a double-double, from the series of positive terms
 * erf(t) = (2t/√π)·e^(-t²)·Σ (2t²)^n / (2n + 1)!!, so nothing cancels inside it.
 */
function erfDD(th: number, tl: number): DD {
  const t: DD = { hi: th, lo: tl };
  const t2 = ddMul(t, t);
  const r = ddMul(t2, TWO);
  let term: DD = ONE, sum: DD = ONE;
  for (let n = 1; n < 80 && Math.abs(term.hi) > 1e-34 * sum.hi; n++) {
    term = ddDiv(ddMul(term, r), { hi: 2 * n + 1, lo: 0 });
    sum = ddAdd(sum, term);
  }
  const s = expSplitDD(-t2.hi, -t2.lo, split);
  const e = { hi: ldexp(s.hi, s.k), lo: ldexp(s.lo, s.k) };
  return ddMul(ddMul(ddMul(TWO_OVER_SQRT_PI_DD, t), e), sum);
}

/**
 * d/dx x·Φ(x) = Φ(x) + x·φ(x). It crosses zero at x ≈ -0.7518, where the two terms cancel
 * completely: on [-2.83, -0.25] both are formed in double-double (Φ from `erfDD`, φ from the
 * double-double exponential of -x²/2), which keeps relative accuracy right up to the root
 * (the plain sum was 1,400 ULP off beside it). In the negative tail the derivative is
 * x·φ(x)·(1 - M(x)/x) with M the Mills ratio, from the same erfc tail as the forward pass,
 * and e^(-x²/2) from the exactly split square (a rounded x² costs x²/2 ULP there).
 */
function geluExactGrad(x: number): number {
  if (x !== x) return x;
  if (x === Infinity) return 1;
  if (x > -0.25) {
    if (x > 40) return 1;
    const th = x * INV_SQRT2, tl = prodError(x, INV_SQRT2, th) + x * INV_SQRT2_LO;
    const e = erf(th) + tl * TWO_OVER_SQRT_PI * Math.exp(-th * th);
    const phi = x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    const h = 0.5 + 0.5 * e;
    return h + (sumError(0.5, 0.5 * e, h) + phi);
  }
  const ah = -x * INV_SQRT2, al = prodError(-x, INV_SQRT2, ah) - x * INV_SQRT2_LO;
  if (ah < DD_ERF_LIMIT) {
    // -x²/2 exactly, as a double-double.
    const p = x * x, hh = -0.5 * p, hl = -0.5 * prodError(x, x, p);
    // Φ(x) = (1 - erf(a))/2 and x·φ(x) = x·e^(-x²/2)/√(2π), both in double-double.
    const erfA = erfDD(ah, al);
    const phiHalf = ddAdd(ONE, ddNeg(erfA));
    const s = expSplitDD(hh, hl, split);
    const e = { hi: ldexp(s.hi, s.k), lo: ldexp(s.lo, s.k) };
    const xphi = ddMul(ddMul({ hi: x, lo: 0 }, INV_SQRT_2PI_DD), e);
    const r = ddAdd({ hi: 0.5 * phiHalf.hi, lo: 0.5 * phiHalf.lo }, xphi);
    return r.hi + r.lo;
  }
  if (x === -Infinity) return 0; // the limit; finite x round their negative values to -0
  if (x < -60) return -0; // |x·φ(x)| < 2^-2590: also keeps the splits below finite
  // -x²/2 as big + small, big exact (z has 21 significant bits) and small below 2^-20 of it.
  const z = highPart(x);
  const big = -0.5 * z * z, small = -0.5 * (x - z) * (x + z);
  const hh = big + small, hl = sumError(big, small, hh);
  // Φ(x) = erfc(a)/2 = e^(-a² - 0.5625 + R/S)/(2a), so Φ/(x·φ) = -(√π/2)·e^(R/S - 0.5625)/a²,
  // at most 0.11 here (a ≥ 2): the bracket 1 - w does not cancel.
  let w: number;
  if (ah < ERF_LARGE) {
    w = SQRT_PI_OVER_2 * Math.exp(erfcTailLog(ah) - 0.5625) / (ah * ah);
  } else {
    // The Mills ratio's asymptotic series, M(x)/|x| = 1/x² - 1/x⁴ + 3/x⁶ - 15/x⁸ + …
    const q = 1 / (x * x);
    w = q * (1 - q * (1 - q * (3 - q * (15 - 105 * q))));
  }
  const b = 1 - w, bl = sumError(1, -w, b);
  // x·φ(x)·(1 - w) = x·(1/√(2π))·(1 - w)·e^(-x²/2), rounded once (subnormals included).
  const c = ddMul({ hi: x, lo: 0 }, ddMul(INV_SQRT_2PI_DD, { hi: b, lo: bl }));
  return mulExp(c.hi, hh, hl, c.lo);
}

/** v = 2u = 2√(2/π)(x + 0.044715x³) in double-double, for |x| ≤ 40. */
function geluTanhArg(x: number): { vh: number; vl: number } {
  const x2 = x * x, x2e = prodError(x, x, x2);
  const x3 = x2 * x, x3e = prodError(x2, x, x3) + x2e * x;
  const p = K * x3, pe = prodError(K, x3, p) + K * x3e + K_LO * x3;
  const s = x + p, se = sumError(x, p, s) + pe;
  const vh = 2 * C * s, vl = prodError(2 * C, s, vh) + 2 * C * se + 2 * C_LO * s;
  return { vh, vl };
}

/**
 * x·σ(2u), u = √(2/π)(x + 0.044715x³): the same value as 0.5x(1 + tanh u) without the
 * cancellation of 1 + tanh u for negative x. The argument 2u is formed in double-double because
 * σ's condition number grows like |2u| in the tail.
 */
function geluTanhScalar(x: number): number {
  if (!(x > -40)) return x !== x ? x : -0; // below -40 the value underflows to -0
  if (x > 40) return x; // σ(2u) rounds to 1 long before
  if (Math.abs(x) < 1e-300) return tinyGelu(x);
  const { vh, vl } = geluTanhArg(x);
  return mulSigmoid(x, vh, vl);
}

/**
 * d/dx x·σ(v) with v = 2u = 2√(2/π)(x + 0.044715x³): σ(v)·(1 + x·v'·σ(-v)), v' =
 * 2√(2/π)(1 + 3·0.044715x²), with v and x·v' in double-double (see `gateGrad`; it crosses zero
 * near x = -0.75). Beyond |x| = 40 it is 1, or -0 below (the true value underflows).
 */
function geluTanhGrad(x: number): number {
  if (x !== x) return x;
  if (x > 40) return 1;
  if (x < -40) return x === -Infinity ? 0 : -0; // the limit at -∞; below -40 x·σ'(…) underflows
  const { vh, vl } = geluTanhArg(x);
  const x2 = ddMul({ hi: x, lo: 0 }, { hi: x, lo: 0 });
  const slope = ddMul(TWO_C, ddAdd(ONE, ddMul(THREE_K, x2)));
  const c = ddMul({ hi: x, lo: 0 }, slope);
  return gateGrad(vh, vl, c.hi, c.lo);
}

/** x·σ(1.702x) with 1.702x in double-double (σ's condition number grows like |1.702x|). */
function geluSigmoidScalar(x: number): number {
  if (!(x > -450)) return x !== x ? x : -0;
  if (x > 40) return x;
  if (Math.abs(x) < 1e-300) return tinyGelu(x);
  const vh = A * x, vl = prodError(A, x, vh) + A_LO * x;
  return mulSigmoid(x, vh, vl);
}

/**
 * d/dx x·σ(1.702x) = σ(v)·(1 + v·σ(-v)) with v = 1.702x in double-double (see `gateGrad`; it
 * crosses zero near x = -0.75).
 */
function geluSigmoidGrad(x: number): number {
  if (x !== x) return x;
  // Keeps the split of 1.702x finite; 0 is the limit at -∞, -0 the rounded value of finite x.
  if (Math.abs(x) > 1e300) return x > 0 ? 1 : x === -Infinity ? 0 : -0;
  const vh = A * x, vl = prodError(A, x, vh) + A_LO * x;
  return gateGrad(vh, vl, vh, vl);
}

const FORWARD = { none: geluExactScalar, tanh: geluTanhScalar, sigmoid: geluSigmoidScalar };
/** The same for float32 storage, where ties beside 0 need the x² term's side (`halfTies32`). */
const FORWARD32 = {
  none: halfTies32(geluExactScalar),
  tanh: halfTies32(geluTanhScalar),
  sigmoid: halfTies32(geluSigmoidScalar),
};
const GRADIENT = { none: geluExactGrad, tanh: geluTanhGrad, sigmoid: geluSigmoidGrad };

/**
 * Φ(x) + x·φ(x) as a double-double to about 2^-100 for |x/√2| < 2 (elsewhere `geluExactGrad`
 * rounded): what `ziv32` needs where the float64 value lies next to a float32 tie.
 */
function geluExactGradDD(x: number): DD {
  const th = x * INV_SQRT2, tl = prodError(x, INV_SQRT2, th) + x * INV_SQRT2_LO;
  if (!(Math.abs(th) < DD_ERF_LIMIT)) return { hi: geluExactGrad(x), lo: 0 };
  const p = x * x, hh = -0.5 * p, hl = -0.5 * prodError(x, x, p);
  const phi2 = ddAdd(ONE, erfDD(th, tl)); // 2Φ(x)
  const s = expSplitDD(hh, hl, split);
  const e = { hi: ldexp(s.hi, s.k), lo: ldexp(s.lo, s.k) };
  const xphi = ddMul(ddMul({ hi: x, lo: 0 }, INV_SQRT_2PI_DD), e);
  return ddAdd({ hi: 0.5 * phi2.hi, lo: 0.5 * phi2.lo }, xphi);
}

/** geluTanhGrad's arguments to `gateGrad`, for its double-double form. */
function geluTanhGradDD(x: number): DD {
  if (!(Math.abs(x) <= 40)) return { hi: geluTanhGrad(x), lo: 0 };
  const { vh, vl } = geluTanhArg(x);
  const x2 = ddMul({ hi: x, lo: 0 }, { hi: x, lo: 0 });
  const c = ddMul({ hi: x, lo: 0 }, ddMul(TWO_C, ddAdd(ONE, ddMul(THREE_K, x2))));
  return gateGradDD(vh, vl, c.hi, c.lo);
}

/** geluSigmoidGrad's arguments to `gateGrad`, for its double-double form. */
function geluSigmoidGradDD(x: number): DD {
  if (!(Math.abs(x) <= 1e300)) return { hi: geluSigmoidGrad(x), lo: 0 };
  const vh = A * x, vl = prodError(A, x, vh) + A_LO * x;
  return gateGradDD(vh, vl, vh, vl);
}

/**
 * The same for float32 storage: near 0 each derivative is 1/2 + c·x + …, whose float64 value
 * can lie within an ULP of it from a point halfway between two float32 numbers (the exhaustive
 * verification found three such x for the exact form, -9.96e-5 among them); there the
 * double-double form decides the side (see `ziv32`).
 */
const GRADIENT32 = {
  none: ziv32(geluExactGrad, geluExactGradDD),
  tanh: ziv32(geluTanhGrad, geluTanhGradDD),
  sigmoid: ziv32(geluSigmoidGrad, geluSigmoidGradDD),
};

/**
 * Applies GELU element-wise: exact `x·Φ(x)` by default, or an approximation.
 *
 * More accurate than PyTorch in the negative tail: gelu(-10) is -7.62e-23 (PyTorch gives -0),
 * gelu(-∞) is -0 (PyTorch gives NaN), and every finite input is within 1 ULP in float32 on the
 * reference path (2 ULP on the default SIMD kernels, see `setKernels`).
 *
 * @example Usage
 * ```ts
 * import { gelu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-10, 0, 1], { dtype: "float64" });
 * const [a, b, c] = gelu(x).toArray() as number[];
 * assert.ok(Math.abs(a - -7.619853024160527e-23) < 1e-37);
 * assert.equal(b, 0);
 * assert.ok(Math.abs(c - 0.8413447460685429) < 1e-15);
 * const t = gelu(x, { approximate: "tanh" }).toArray() as number[];
 * assert.ok(Math.abs(t[2] - 0.8411919906082768) < 1e-15);
 * ```
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  checkTensor(x, "gelu() argument x");
  const { approximate, out } = resolveOptions<Required<GeluOptions>>("gelu", options, GELU_OPTIONS);
  const f = (x.dtype === "float32" ? FORWARD32 : FORWARD)[approximate];
  return mapUnary(x, outputFor("gelu", x, out), f, KERNEL, { approximate });
}

/**
 * The gradient of GELU from its input, for the same `approximate` form as the forward pass.
 *
 * @example Usage
 * ```ts
 * import { geluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * // GELU's slope at 0 is Φ(0) = 0.5 in every form.
 * assert.deepEqual(geluBackward(tensor([1]), tensor([0])).toArray(), [0.5]);
 * ```
 */
export function geluBackward(gradOutput: Tensor, x: Tensor, options: GeluOptions = {}): Tensor {
  checkTensor(x, "geluBackward() argument x");
  const g = checkGradient("geluBackward", gradOutput, x);
  const { approximate } = resolveOptions<Required<GeluOptions>>(
    "geluBackward",
    options,
    GELU_OPTIONS,
    [],
  );
  const d = (x.dtype === "float32" ? GRADIENT32 : GRADIENT)[approximate];
  return mapGradient(g, x, (dy, v) => dy * d(v));
}

/**
 * The GELU layer. Caches its input (the derivative needs x, not the output).
 *
 * @example Usage
 * ```ts
 * import { GELU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new GELU({ approximate: "tanh" });
 * assert.deepEqual(layer.forward(tensor([0])).toArray(), [0]);
 * assert.deepEqual(layer.backward(tensor([2])).toArray(), [1]);
 * ```
 */
export class GELU implements Module {
  #x?: Tensor;
  readonly #options: { approximate: GeluApproximate };

  /**
   * Creates a GELU layer.
   *
   * @param options The same `approximate` option as {@linkcode gelu}.
   */
  constructor(options: Omit<GeluOptions, "out"> = {}) {
    const { approximate } = resolveOptions<Required<GeluOptions>>(
      "GELU",
      options,
      GELU_OPTIONS,
      [],
    );
    this.#options = { approximate };
  }

  /** Applies {@linkcode gelu} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = gelu(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return geluBackward(gradOutput, requireForward(this.#x, "GELU"), this.#options);
  }
}

defineActivation({
  name: "gelu",
  className: "GELU",
  title: "Gaussian Error Linear Unit",
  summary: "x weighted by the normal CDF: the smooth ReLU of transformers (BERT, GPT, ViT).",
  family: "smooth",
  references: [
    {
      authors: "Hendrycks and Gimpel",
      year: 2016,
      title: "Gaussian Error Linear Units (GELUs)",
      url: "https://arxiv.org/abs/1606.08415",
    },
  ],
  kind: "elementwise",
  options: GELU_OPTIONS,
  formula: {
    f: String
      .raw`x\,\Phi(x) = \tfrac{x}{2}\left(1 + \operatorname{erf}\tfrac{x}{\sqrt 2}\right)`,
    df: String.raw`\Phi(x) + x\,\varphi(x)`,
  },
  range: "[-0.17, ∞)",
  properties: { monotonic: false, zeroCentred: false, smooth: true, bounded: false },
  cost: { transcendental: 2, arithmetic: 20 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => gelu(x, o),
  backward: (dy, x, o) => geluBackward(dy, x, o),
  create: (o) => new GELU(o),
  naive: (x, o) => {
    const approximate = o?.approximate ?? "none";
    if (approximate === "sigmoid") return x / (1 + Math.exp(-1.702 * x));
    if (approximate === "tanh") {
      return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    }
    // The textbook form via 1 + erf: loses everything below x ≈ -8.
    const t = x / Math.SQRT2, s = 1 / (1 + 0.3275911 * Math.abs(t));
    const poly = s * (0.254829592 + s * (-0.284496736 + s * (1.421413741 +
              s * (-1.453152027 + s * 1.061405429))));
    const e = 1 - poly * Math.exp(-t * t);
    return 0.5 * x * (1 + (t < 0 ? -e : e));
  },
});
