/**
 * Spot values of the oracle against known constants, and its rounding and ULP measures on ties
 * and extremes: everything else in the tests is judged by it.
 */

import assert from "node:assert/strict";
import type { Decimal } from "decimal.js";
import {
  D,
  elu,
  erfc,
  erfSeries,
  exactOf,
  expm1,
  fromDouble,
  gelu,
  hardswish,
  log1p,
  logSoftmaxRow,
  nextFloat32,
  normalCdf,
  P,
  roundTo,
  SELU_ALPHA,
  SELU_SCALE,
  sigmoid,
  softmaxRow,
  tanh,
  ulpDistance,
  ulpError,
} from "./oracle.ts";

/** |got - want| ≤ tol·|want|. */
function near(got: Decimal | number, want: string, tol = "1e-70"): void {
  const w = D(want), g = typeof got === "number" ? D(got) : got;
  assert.ok(g.sub(w).abs().lte(w.abs().mul(tol)), `${g} is not ${want}`);
}

Deno.test("oracle matches known constants: erf(1), erfc(6), tanh(1), Φ(1), e^-1 - 1", () => {
  // The constants: mpmath at 90 digits.
  near(
    erfSeries(D(1)),
    "0.842700792949714869341220635082609259296066997966302908459937897834717254096010841261983325",
  );
  // Where erfc changes from 1 - erf to the continued fraction, both agree.
  near(erfc(D(6)), "2.15197367124989131165933503991873846304775140616885421005278920510563372e-17");
  near(erfc(D(6)), D(1).sub(erfSeries(D(6))).toString(), "1e-40");
  near(erfc(D(-6)), D(2).sub(erfc(D(6))).toString());
  near(
    tanh(D(1)),
    "0.761594155955764888119458282604793590412768597257936551596810500121953244576638",
  );
  const phi1 = "0.841344746068542948585232545632037922477912966726604390987394450242991441987205";
  near(normalCdf(D(1)), phi1);
  near(gelu.none(D(1)), phi1);
  near(
    elu(1)(exactOf(-1)),
    "-0.632120558828557678404476229838539132554188868968232165492163198302538504",
  );
  assert.ok(sigmoid(D(0)).eq("0.5") && normalCdf(D(0)).eq("0.5"));
  near(sigmoid(D(-30)), D(1).sub(sigmoid(D(30))).toString(), "1e-60");
});

Deno.test("oracle keeps the digits near 0: expm1, log1p and x/2 + c·x² of the tiny GELU", () => {
  // x + x²/2 + x³/6 and y - y²/2: the second terms are 1e-21 and 5e-41 of the first.
  near(expm1(D("1e-20")), D("1e-20").add("5e-41").add(D("1e-60").div(6)).toString(), "1e-55");
  near(log1p(D("1e-40")), D("1e-40").sub("5e-81").toString());
  // gelu(x) = x/2 + x²/√(2π) + …: the x² term survives for a subnormal x.
  const x = exactOf(5e-324), g = gelu.none(x);
  assert.ok(g.gt(x.div(2)) && g.sub(x.div(2)).lt(x.mul(x)));
  assert.equal(roundTo(hardswish(exactOf(1)), "float64"), 2 / 3);
});

Deno.test("oracle holds PyTorch's SELU constants, whose doubles are PyTorch's", () => {
  assert.equal(SELU_ALPHA.toString(), "1.6732632423543772848170429916717");
  assert.equal(SELU_SCALE.toString(), "1.0507009873554804934193349852946");
  assert.equal(roundTo(SELU_ALPHA, "float64"), 1.6732632423543772);
  assert.equal(roundTo(SELU_SCALE, "float64"), 1.0507009873554805);
  near(
    SELU_ALPHA.mul(SELU_SCALE),
    "1.75809934084737685994021752081231934206024580891220830977098282",
  );
});

Deno.test("fromDouble() and exactOf() give a double's exact value, not its shortest decimal", () => {
  const tenth = "0.1000000000000000055511151231257827021181583404541015625";
  assert.equal(fromDouble(0.1).toString(), tenth);
  assert.equal(exactOf(0.1).toString(), tenth);
  assert.ok(exactOf(5e-324).eq(P(2).pow(-1074)));
  assert.ok(exactOf(-Number.MAX_VALUE).eq(P(2).pow(1024).sub(P(2).pow(971)).neg()));
  assert.throws(() => fromDouble(NaN), RangeError);
  assert.throws(() => exactOf(Infinity), RangeError);
});

Deno.test("roundTo() rounds once: a float32 tie to even, and just off a tie to its side", () => {
  const up = nextFloat32(1, true), tie = exactOf(1).add(exactOf(2 ** -24));
  assert.equal(up, 1 + 2 ** -23);
  assert.equal(roundTo(tie, "float32"), 1);
  // Through a double both of these read as the tie itself; the exact value decides.
  assert.equal(roundTo(tie.add(D("1e-60")), "float32"), up);
  assert.equal(roundTo(tie.sub(D("1e-60")), "float32"), 1);
  assert.equal(roundTo(exactOf(1).add(exactOf(3 * 2 ** -24)), "float32"), 1 + 2 ** -22);
  // The same for a float32 subnormal: 3·2^-150 lies between 2^-149 and 2^-148.
  const sub = exactOf(3 * 2 ** -150);
  assert.equal(roundTo(sub, "float32"), 2 ** -148);
  assert.equal(roundTo(sub.sub(P(2).pow(-1000)), "float32"), 2 ** -149);
  assert.equal(roundTo(exactOf(1).add(exactOf(2 ** -53)), "float64"), 1);
  assert.equal(roundTo(exactOf(1).add(exactOf(2 ** -53)).add(D("1e-70")), "float64"), 1 + 2 ** -52);
  assert.equal(roundTo(D("1e-5000").neg(), "float64"), -0);
  assert.ok(Object.is(roundTo(D("1e-5000").neg(), "float64"), -0));
  assert.equal(roundTo(D("1e400"), "float64"), Infinity);
  assert.equal(roundTo(0.1, "float32"), Math.fround(0.1));
});

Deno.test("ulpDistance() counts values between, and ulpError() measures against the exact value", () => {
  assert.equal(ulpDistance(1, 1 + 2 ** -52, "float64"), 1);
  assert.equal(ulpDistance(1, 1 + 2 ** -22, "float32"), 2);
  assert.equal(ulpDistance(-0, 0, "float32"), 0);
  assert.equal(ulpDistance(2 ** -149, -(2 ** -149), "float32"), 2);
  assert.equal(ulpDistance(Number.MAX_VALUE, Infinity, "float64"), Infinity);
  assert.equal(ulpDistance(NaN, NaN, "float64"), 0);
  assert.equal(ulpDistance(NaN, 0, "float64"), Infinity);
  assert.equal(ulpError(1, exactOf(1).add(exactOf(2 ** -53)), "float64"), 0.5);
  assert.equal(ulpError(1 + 2 ** -23, D(1), "float32"), 1);
  assert.equal(ulpError(NaN, NaN, "float32"), 0);
  assert.equal(ulpError(NaN, D(1), "float32"), Infinity);
  assert.equal(ulpError(Infinity, D("1e400"), "float64"), 0);
  assert.equal(ulpError(-Infinity, -Infinity, "float64"), 0);
});

Deno.test("softmaxRow() and logSoftmaxRow(): ties, -∞ entries and ±1000", () => {
  const half = softmaxRow([3, 3]);
  assert.ok(half[0].eq("0.5") && half[1].eq("0.5"));
  const masked = softmaxRow([1000, -1000, -Infinity]);
  assert.ok(masked[2].isZero());
  near(masked[1], D(-2000).exp().div(D(-2000).exp().add(1)).toString());
  const log = logSoftmaxRow([0, 0, -Infinity]);
  near(log[0] as Decimal, D(2).ln().neg().toString());
  assert.equal(log[2], -Infinity);
  // log(1 + e^-50): the term far below 1 keeps its digits.
  near(logSoftmaxRow([0, -50])[0] as Decimal, log1p(D(-50).exp()).neg().toString());
  assert.throws(() => softmaxRow([-Infinity]), RangeError);
});

Deno.test("ulpError() measures in the exact value's binade, also just below a power of two", () => {
  // 1 - 2^-60 rounds to the double 1, but it lies in [1/2, 1), where a float32 ULP is 2^-24.
  const t = D(1).sub(D(2).pow(-60));
  assert.ok(Math.abs(ulpError(1 - 2 ** -24, t, "float32") - 1) < 1e-9);
  assert.ok(ulpError(1, t, "float32") < 1e-9);
  // Just above 1 the spacing is 2^-23: the float32 one above is one ULP away.
  const u = D(1).add(D(2).pow(-60));
  assert.ok(Math.abs(ulpError(1 + 2 ** -23, u, "float32") - 1) < 1e-9);
  // Among subnormals both sides have the same spacing.
  const s = D(2).pow(-126).sub(D(2).pow(-200));
  assert.ok(Math.abs(ulpError(2 ** -126 - 2 ** -149, s, "float32") - 1) < 1e-9);
});
