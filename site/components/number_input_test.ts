import assert from "node:assert/strict";
import { parseNumberText } from "./number_input.tsx";

Deno.test("parseNumberText() keeps what a person types and names what is wrong", () => {
  const ok = (t: string, rules = {}) => {
    const r = parseNumberText(t, rules);
    assert.ok(r.ok, `${t}: ${!r.ok && r.message}`);
    return r.value;
  };
  assert.equal(ok("0.02"), 0.02);
  assert.equal(ok("-0.5"), -0.5);
  assert.equal(ok("1e3"), 1000);
  assert.equal(ok("1.05"), 1.05);
  assert.equal(ok(".5"), 0.5);
  assert.equal(ok("0."), 0);
  assert.equal(ok("", { allowEmpty: true }), undefined);
  const bad = (t: string, rules: Record<string, unknown>, message: RegExp) => {
    const r = parseNumberText(t, rules);
    assert.ok(!r.ok && message.test(r.message), `${t}: ${JSON.stringify(r)}`);
  };
  bad("", {}, /Enter a number/);
  bad("abc", {}, /Not a number/);
  bad("-", {}, /Not a number/);
  bad("0x10", {}, /Not a number/);
  bad("2.5", { integer: true }, /whole number/);
  bad("0", { min: 1 }, /At least 1/);
  bad("300", { max: 200 }, /At most 200/);
  bad("0", { above: 0 }, /More than 0/);
  bad("1e400", {}, /Too large/);
});
