// Exact values for the row-kernel tests (decimal.js at 32 digits), and ULP distance.
import { Decimal } from "decimal.js";

/** decimal.js configured for the references. */
export const D: typeof Decimal = Decimal.clone({ precision: 32, toExpNeg: -9e15, toExpPos: 9e15 });
type Dec = InstanceType<typeof D>;

const TWO = new D(2);

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

/** log(1 + e) without losing a tiny e to the 32-digit rounding of 1 + e. */
export function log1p(e: Dec): Dec {
  if (e.abs().gt(1e-6)) return e.plus(1).ln();
  return e.minus(e.pow(2).div(2)).plus(e.pow(3).div(3)).minus(e.pow(4).div(4)).plus(
    e.pow(5).div(5),
  );
}

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
