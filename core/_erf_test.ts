import assert from "node:assert/strict";
import { erf, ERF_LARGE, ERF_MID, ERF_SMALL, erfc } from "./_erf.ts";
import {
  D,
  erfc as exactErfc,
  erfSeries,
  fromDouble,
  roundTo,
  ulpDistance,
} from "../tests/accuracy/oracle.ts";

Deno.test("erf() within 1 ULP and erfc() within 2 on every interval and at every boundary", () => {
  const xs: number[] = [];
  for (const b of [ERF_SMALL, ERF_MID, 1 / 0.35, ERF_LARGE]) {
    for (const s of [-1, 1]) {
      for (let k = -3; k <= 3; k++) xs.push(s * b * (1 + k * 2 ** -52));
    }
  }
  for (let i = 0; i < 400; i++) xs.push(-6 + 12 * ((i * 0.618034) % 1));
  let worstErf = 0, worstErfc = 0;
  for (const x of xs) {
    const e = fromDouble(x);
    const exactErf = e.abs().lt(6)
      ? erfSeries(e)
      : D(x > 0 ? 1 : -1).sub(exactErfc(e.abs()).mul(x > 0 ? 1 : -1));
    worstErf = Math.max(worstErf, ulpDistance(erf(x), roundTo(exactErf, "float64"), "float64"));
    worstErfc = Math.max(
      worstErfc,
      ulpDistance(erfc(x), roundTo(exactErfc(e), "float64"), "float64"),
    );
  }
  assert.ok(worstErf <= 1, `erf: ${worstErf} ULP`);
  assert.ok(worstErfc <= 2, `erfc: ${worstErfc} ULP`);
  assert.equal(erf(Infinity), 1);
  assert.equal(erfc(-Infinity), 2);
  assert.ok(Number.isNaN(erf(NaN)) && Number.isNaN(erfc(NaN)));
});
