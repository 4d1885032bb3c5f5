/** Exact references for the seed's activations (test-only). */

import type { Decimal } from "decimal.js";
import { D, normalCdf, sigmoid } from "./exact.ts";

const WIDE = D.clone({ precision: 900 });

/**
 * For |x| < 1e-300 every GELU form is x/2 + c·x² (c > 0): the x² term only decides ties
 * between subnormals, far below 120 digits, so it is added at 900 digits.
 */
function tiny(x: Decimal, c: number): Decimal | undefined {
  if (x.isZero() || x.abs().gte(1e-300)) return undefined;
  const w = new WIDE(x);
  return D(w.div(2).add(w.mul(w).mul(c)).toString());
}

const SQRT_2_OVER_PI = D(2).div(D.acos(-1)).sqrt();

/** x·Φ(x). */
export function geluExact(x: Decimal): Decimal {
  return tiny(x, 0.3989) ?? x.mul(normalCdf(x));
}

/** 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) = x·σ(2√(2/π)(x + 0.044715x³)). */
export function geluTanhExact(x: Decimal): Decimal {
  return tiny(x, 0.3989) ??
    x.mul(sigmoid(SQRT_2_OVER_PI.mul(x.add(x.pow(3).mul("0.044715"))).mul(2)));
}

/** x·σ(1.702x). */
export function geluSigmoidExact(x: Decimal): Decimal {
  return tiny(x, 0.4255) ?? x.mul(sigmoid(x.mul("1.702")));
}
