/**
 * The scalar map of Leaky ReLU and of RReLU in evaluation: x > 0 ? x : slope·x. Private to the
 * package.
 */

import { nudge32, prodError } from "./_dd.ts";

/** The slope-0 case: ReLU, so that -∞ gives 0 rather than -∞ · 0 = NaN. */
function relu(v: number): number {
  return v <= 0 ? 0 : v;
}

/**
 * x > 0 ? x : slope·x, rounded once for the dtype stored. For float32 the product goes through
 * `nudge32`: a float32 times a double has up to 77 bits, and its double can land exactly halfway
 * between two float32 numbers (-4.687e-38 · 0.01) where the exact product does not.
 */
export function leaky(slope: number, float32: boolean): (v: number) => number {
  if (slope === 0) return relu;
  if (!float32) return (v) => (v > 0 ? v : v * slope);
  return (v) => {
    if (v > 0) return v;
    const p = v * slope;
    return p === 0 || !Number.isFinite(p) ? p : nudge32(p, prodError(v, slope, p));
  };
}
