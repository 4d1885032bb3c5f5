/**
 * The arithmetic behind the systems page: how many activation values real networks produce,
 * from their architectures, and the few formulas the calculators apply to them.
 */

/** Activation outputs of one kind in one network, per sample. */
export interface ActivationSite {
  /** Which activation (the network's own choice). */
  role: "hidden" | "softmax" | "tanh";
  /** Where it sits, for the table. */
  where: string;
  /** Elements per sample. */
  elements: number;
}

/**
 * ResNet-50 (torchvision layout, stride in the 3×3 convolution) at 224×224: every ReLU's
 * output size, counted from the architecture rather than quoted.
 */
export function resnet50Sites(): ActivationSite[] {
  const sites: ActivationSite[] = [{ role: "hidden", where: "stem", elements: 64 * 112 * 112 }];
  const stages = [
    { blocks: 3, width: 64, size: 56, inSize: 56 },
    { blocks: 4, width: 128, size: 28, inSize: 56 },
    { blocks: 6, width: 256, size: 14, inSize: 28 },
    { blocks: 3, width: 512, size: 7, inSize: 14 },
  ];
  stages.forEach((stage, s) => {
    let elements = 0;
    for (let b = 0; b < stage.blocks; b++) {
      // The first block's 1×1 reduction still runs at the previous stage's resolution.
      const first = b === 0 ? stage.inSize : stage.size;
      elements += stage.width * first * first;
      elements += stage.width * stage.size * stage.size;
      elements += 4 * stage.width * stage.size * stage.size;
    }
    sites.push({ role: "hidden", where: `stage ${s + 1} (${stage.blocks} blocks)`, elements });
  });
  return sites;
}

/** BERT-Large (24 layers, hidden 1024, FFN 4096, 16 heads) at sequence length `seq`. */
export function bertLargeSites(seq: number): ActivationSite[] {
  const layers = 24, hidden = 1024, ffn = 4096, heads = 16;
  return [
    { role: "hidden", where: "feed-forward (24 layers)", elements: layers * seq * ffn },
    {
      role: "softmax",
      where: "attention (24 layers × 16 heads)",
      elements: layers * heads * seq * seq,
    },
    { role: "tanh", where: "pooler", elements: hidden },
  ];
}

/** Sum of elements of sites with the given role (all when absent). */
export function countElements(
  sites: readonly ActivationSite[],
  role?: ActivationSite["role"],
): number {
  return sites.filter((s) => role === undefined || s.role === role).reduce(
    (a, s) => a + s.elements,
    0,
  );
}

/**
 * The error function, Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7): plenty for a
 * probability printed to four digits, and it keeps this page free of the library's internals.
 */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** Fraction of inputs a ReLU zeroes when they are normal with mean `mean` and spread `std`. */
export function reluSparsityNormal(mean: number, std: number): number {
  if (std === 0) return mean <= 0 ? 1 : 0;
  return 0.5 * (1 - erf(mean / (std * Math.SQRT2)));
}

/** Fraction of inputs a ReLU zeroes when they are uniform on `[low, high]`. */
export function reluSparsityUniform(low: number, high: number): number {
  if (high <= low) return low <= 0 ? 1 : 0;
  return Math.min(1, Math.max(0, (0 - low) / (high - low)));
}

/**
 * The largest gradient that can survive `depth` layers whose activation's derivative is at most
 * `maxSlope` and whose weights have scale `weight`: `(weight · maxSlope)^depth`.
 */
export function gradientBound(maxSlope: number, weight: number, depth: number): number {
  return Math.pow(weight * maxSlope, depth);
}

/**
 * The base-10 logarithm of {@linkcode gradientBound}, computed as a logarithm so that it stays
 * exact where the bound itself underflows to 0 (0.25 to the 10,000th is 2.5e-6021, far below the
 * smallest float64): `depth · log10(weight · maxSlope)`, -∞ when the product is 0.
 *
 * @example Usage
 * ```ts
 * import { gradientLog10 } from "./_systems.ts";
 * import assert from "node:assert/strict";
 * assert.equal(Math.round(gradientLog10(0.25, 1, 10_000)), -6021);
 * ```
 */
export function gradientLog10(maxSlope: number, weight: number, depth: number): number {
  return depth === 0 ? 0 : depth * Math.log10(weight * maxSlope);
}

/** Most layers the gradient calculator takes: plenty to show any trend, and quick to draw. */
export const MAX_DEPTH = 10_000;

/**
 * A bound for people: the number itself while float64 holds it, else `1e-6021` from its
 * logarithm, so a deep stack never reads as exactly 0.
 */
export function formatBound(log10: number, format: (v: number) => string): string {
  if (log10 === -Infinity) return "0";
  if (log10 === Infinity || Number.isNaN(log10)) return format(10 ** log10);
  const value = 10 ** log10;
  if (value > 0 && Number.isFinite(value) && Math.abs(log10) < 300) return format(value);
  const exponent = Math.floor(log10);
  const mantissa = 10 ** (log10 - exponent);
  return `${mantissa.toFixed(2).replace(/\.?0+$/, "")}e${exponent}`;
}
