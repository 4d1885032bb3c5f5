/**
 * The error function and its complement in double precision, plus the pieces GELU needs to
 * evaluate x·Φ(x) without losing the far negative tail.
 *
 * The rational approximations and their intervals are the published ones of Sun's fdlibm
 * (|error| below 2^-57 on each interval); the evaluation around them is ours. Private to the
 * package.
 */

// erf(x) ≈ x + x·P(x²)/Q(x²) on |x| < 0.84375.
const PP = [
  1.28379167095512558561e-01,
  -3.25042107247001499370e-01,
  -2.84817495755985104766e-02,
  -5.77027029648944159157e-03,
  -2.37630166566501626084e-05,
];
const QQ = [
  1,
  3.97917223959155352819e-01,
  6.50222499887672944485e-02,
  5.08130628187576562776e-03,
  1.32494738004321644526e-04,
  -3.96022827877536812320e-06,
];
// erf(1 + s) ≈ ERX + P(s)/Q(s) on 0.84375 ≤ |x| < 1.25; ERX is erf(1) rounded to 24 bits.
const ERX = 8.45062911510467529297e-01;
const PA = [
  -2.36211856075265944077e-03,
  4.14856118683748331666e-01,
  -3.72207876035701323847e-01,
  3.18346619901161753674e-01,
  -1.10894694282396677476e-01,
  3.54783043256182359371e-02,
  -2.16637559486879084300e-03,
];
const QA = [
  1,
  1.06420880400844228286e-01,
  5.40397917702171048937e-01,
  7.18286544141962662868e-02,
  1.26171219808761642112e-01,
  1.36370839120290507362e-02,
  1.19844998467991074170e-02,
];
// log(x·erfc(x)) + x² + 0.5625 ≈ R(1/x²)/S(1/x²) on [1.25, 1/0.35) and [1/0.35, 28).
const RA = [
  -9.86494403484714822705e-03,
  -6.93858572707181764372e-01,
  -1.05586262253232909814e+01,
  -6.23753324503260060396e+01,
  -1.62396669462573470355e+02,
  -1.84605092906711035994e+02,
  -8.12874355063065934246e+01,
  -9.81432934416914548592e+00,
];
const SA = [
  1,
  1.96512716674392571292e+01,
  1.37657754143519042600e+02,
  4.34565877475229228821e+02,
  6.45387271733267880336e+02,
  4.29008140027567833386e+02,
  1.08635005541779435134e+02,
  6.57024977031928170135e+00,
  -6.04244152148580987438e-02,
];
const RB = [
  -9.86494292470009928597e-03,
  -7.99283237680523006574e-01,
  -1.77579549177547519889e+01,
  -1.60636384855821916062e+02,
  -6.37566443368389627722e+02,
  -1.02509513161107724954e+03,
  -4.83519191608651397019e+02,
];
const SB = [
  1,
  3.03380607434824582924e+01,
  3.25792512996573918826e+02,
  1.53672958608443695994e+03,
  3.19985821950859553908e+03,
  2.55305040643316442583e+03,
  4.74528541206955367215e+02,
  -2.24409524465858183362e+01,
];

function poly(c: readonly number[], z: number): number {
  let r = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) r = r * z + c[i];
  return r;
}

/** Below this |x| the series x + x·P/Q holds. */
export const ERF_SMALL = 0.84375;
/** Below this |x| the expansion around 1 holds; above it the asymptotic form. */
export const ERF_MID = 1.25;
/** Above this |x|, erfc(x) underflows and erf(x) rounds to ±1. */
export const ERF_LARGE = 28;

/** (erf(x) - x) / x for |x| < 0.84375. */
export function erfSmallRatio(x: number): number {
  const z = x * x;
  return poly(PP, z) / poly(QQ, z);
}

/** erf(a) - ERX for 0.84375 ≤ a < 1.25. */
export function erfMidOffset(a: number): number {
  const s = a - 1;
  return poly(PA, s) / poly(QA, s);
}

/** log(a·erfc(a)) + a² + 0.5625 for 1.25 ≤ a < 28. */
export function erfcTailLog(a: number): number {
  const s = 1 / (a * a);
  return a < 1 / 0.35 ? poly(RA, s) / poly(SA, s) : poly(RB, s) / poly(SB, s);
}

/**
 * Clears the low 32 bits of a double, leaving at most 21 significant bits, so that its square
 * is exact in double precision.
 */
export function highPart(x: number): number {
  const f = new Float64Array([x]);
  new Uint32Array(f.buffer)[0] = 0;
  return f[0];
}

/** erfc(a) for a ≥ 1.25, with the exponent formed exactly (see `highPart`). */
function erfcTail(a: number): number {
  if (a >= ERF_LARGE) return 0;
  const z = highPart(a);
  return Math.exp(-z * z - 0.5625) * Math.exp((z - a) * (z + a) + erfcTailLog(a)) / a;
}

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, within 1 ULP.
 *
 * @param x Any number; erf(±∞) = ±1, erf(NaN) = NaN.
 */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < ERF_SMALL) return x + x * erfSmallRatio(x);
  const r = a < ERF_MID ? ERX + erfMidOffset(a) : 1 - erfcTail(a);
  return x < 0 ? -r : r;
}

/**
 * The complementary error function erfc(x) = 1 − erf(x), within 2 ULP and accurate in relative
 * terms in the far right tail, where 1 − erf(x) would cancel.
 *
 * @param x Any number; erfc(+∞) = 0, erfc(−∞) = 2, erfc(NaN) = NaN.
 */
export function erfc(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  let r: number;
  if (a < ERF_SMALL) {
    const y = erfSmallRatio(x);
    // On [1/4, 0.84375) 1 − erf(x) = 0.5 − ((x − 0.5) + x·y) loses less than 1 − (x + x·y).
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - ((x - 0.5) + x * y);
  }
  if (a < ERF_MID) r = (1 - ERX) - erfMidOffset(a);
  else r = erfcTail(a);
  return x < 0 ? 2 - r : r;
}
