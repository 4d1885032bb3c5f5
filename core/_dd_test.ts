import assert from "node:assert/strict";
import fc from "fast-check";
import { ddAdd, ddDiv, ddMul, divDD, halfTies32, nudge32, prodError, sumError } from "./_dd.ts";
import { D, exactOf, fromDouble } from "../tests/accuracy/oracle.ts";

const finite = fc.double({ min: -1e150, max: 1e150, noNaN: true, noDefaultInfinity: true });

Deno.test("prodError() and sumError() are the exact rounding errors", () => {
  fc.assert(
    fc.property(finite, finite, (a, b) => {
      const p = a * b, s = a + b;
      // At 1,200 digits every sum and product of two doubles is exact.
      const exactP = exactOf(a).mul(exactOf(b)), exactS = exactOf(a).add(exactOf(b));
      if (Math.abs(p) > 1e-290) assert.ok(exactOf(p).add(exactOf(prodError(a, b, p))).eq(exactP));
      assert.ok(exactOf(s).add(exactOf(sumError(a, b, s))).eq(exactS));
    }),
    { numRuns: 500 },
  );
});

Deno.test("ddAdd, ddMul and ddDiv hold about 2^-104 relative", () => {
  const dd = fc.tuple(
    fc.double({ min: 0.5, max: 2, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
  )
    .map(([h, l]) => ({ hi: h, lo: l * h * 2 ** -54 }));
  const value = (x: { hi: number; lo: number }) => fromDouble(x.hi).add(fromDouble(x.lo));
  const rel = (got: { hi: number; lo: number }, want: ReturnType<typeof value>) =>
    value(got).sub(want).div(want).abs().toNumber();
  fc.assert(
    fc.property(dd, dd, (a, b) => {
      assert.ok(rel(ddAdd(a, b), value(a).add(value(b))) < 2 ** -103);
      assert.ok(rel(ddMul(a, b), value(a).mul(value(b))) < 2 ** -102);
      assert.ok(rel(ddDiv(a, b), value(a).div(value(b))) < 2 ** -101);
    }),
    { numRuns: 500 },
  );
});

Deno.test("divDD() rounds a double-double quotient about once and keeps signed zeros", () => {
  assert.equal(divDD(1, 0, 3, 0), 1 / 3);
  assert.ok(Object.is(divDD(-5e-324, 0, 3, 0), -0));
  assert.equal(divDD(1, 0, 0, 0), Infinity);
  const q = divDD(2, 2 ** -60, 3, 0);
  assert.ok(
    fromDouble(q).sub(D(2).add(D(2).pow(-60)).div(3)).abs().lte(fromDouble(q).mul(2 ** -53)),
  );
});

Deno.test("nudge32() sends a float32 tie to the side of the exact value, and nothing else moves", () => {
  const f = Math.fround(1.1), up = Math.fround(f + 2 ** -23 * 1.1);
  const tie = (f + up) / 2; // exactly halfway, a double
  assert.equal(Math.fround(nudge32(tie, 1e-30)), up);
  assert.equal(Math.fround(nudge32(tie, -1e-30)), f);
  assert.equal(nudge32(1.2345, 1e-30), 1.2345); // not a tie: unchanged
  assert.equal(nudge32(f, 1e-30), f);
  const x = 3 * 2 ** -149; // an odd float32 subnormal: x/2 is a tie
  assert.equal(new Float32Array([halfTies32((v) => v / 2)(x)])[0], 2 * 2 ** -149);
  assert.equal(new Float32Array([halfTies32((v) => v / 2)(-x)])[0], -(2 ** -149));
});
