import assert from "node:assert/strict";
import { formatBytes, formatCount, formatNumber, parseNumbers } from "./_format.ts";

Deno.test("formatNumber() spells out the special values", () => {
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(Infinity), "∞");
  assert.equal(formatNumber(-Infinity), "-∞");
  assert.equal(formatNumber(-0), "-0");
  assert.equal(formatNumber(0), "0");
});

Deno.test("formatNumber() trims to significant digits and switches to exponents at extremes", () => {
  assert.equal(formatNumber(1 / 3), "0.3333333");
  assert.equal(formatNumber(1000), "1000");
  assert.equal(formatNumber(1e-7), "1e-7");
  assert.equal(formatNumber(1.5e-30), "1.5e-30");
  assert.equal(formatNumber(123456789), "1.234568e+8");
});

Deno.test("formatBytes() and formatCount() use readable units", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.50 KiB");
  assert.equal(formatBytes(5 * 1024 ** 3), "5.00 GiB");
  assert.equal(formatCount(1234567), "1,234,567");
  assert.equal(formatCount(2e13), "2.000e+13");
});

Deno.test("parseNumbers() reads separators, signs, exponents, infinities and NaN", () => {
  assert.deepEqual(parseNumbers(" 1, -2.5;3e2\n+4 .5"), [1, -2.5, 300, 4, 0.5]);
  assert.deepEqual(parseNumbers("inf -Infinity NaN -inf"), [Infinity, -Infinity, NaN, -Infinity]);
});

Deno.test("parseNumbers() names the first bad item and refuses empty or huge lists", () => {
  assert.throws(() => parseNumbers("1, 2, abc"), {
    name: "TypeError",
    message: 'Cannot read "abc" (item 3): expected a number such as 1.5, -2e3, inf or nan',
  });
  assert.throws(() => parseNumbers("0x10"), TypeError);
  assert.throws(() => parseNumbers("1..2"), TypeError);
  assert.throws(() => parseNumbers(" , "), RangeError);
  assert.throws(() => parseNumbers("1 2 3", 2), RangeError);
});
