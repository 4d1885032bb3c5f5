import assert from "node:assert/strict";
import { ACTIVATIONS, getActivation } from "@nonlin/core";
import { initialInput, tryActivation } from "./_try.ts";
import { parseNumbers } from "./_format.ts";
import { defaultOptions } from "./_sample.ts";

Deno.test("tryActivation() opens every activation on finite numbers, without an error", () => {
  for (const info of ACTIVATIONS) {
    const table = tryActivation(
      info,
      parseNumbers(initialInput(info)),
      defaultOptions(info),
      "float32",
    );
    const outputs = table.rows.map((row) =>
      row[table.headers.findIndex((h) => h.startsWith(`${info.name}(`))]
    );
    assert.ok(outputs.length > 0, info.name);
    // Element-wise entries open on a NaN input, which must stay NaN; every other output is a number.
    const finite = outputs.filter((v) => !Number.isNaN(v));
    assert.ok(finite.length >= outputs.length - 1, `${info.name}: ${outputs}`);
  }
});

Deno.test("tryActivation() reads Softmax2d's list as the channels of a 1×1 image", () => {
  const table = tryActivation(getActivation("softmax2d"), [0, 0], {}, "float64");
  assert.deepEqual(table.rows, [[0, 0.5], [0, 0.5]]);
  assert.match(table.notes.join(" "), /shape \[2, 1, 1\]/);
});

Deno.test("tryActivation() pairs GLU's halves and refuses an odd count in words", () => {
  const glu = getActivation("glu");
  const table = tryActivation(glu, [1, 2, 0, 1000], {}, "float64");
  assert.deepEqual(table.headers.slice(0, 2), ["a (first half)", "b (second half)"]);
  assert.deepEqual(table.rows, [[1, 0, 0.5], [2, 1000, 2]]);
  assert.throws(() => tryActivation(glu, [1, 2, 3], {}, "float64"), /even count/);
});

Deno.test("tryActivation() lays PReLU's list out as rows of its channels", () => {
  const prelu = getActivation("prelu");
  const table = tryActivation(prelu, [-1, -2, -3, 4], { numParameters: 2, init: 0.5 }, "float64");
  assert.deepEqual(table.rows.map((r) => r.slice(0, 3)), [
    [-1, 0, -0.5],
    [-2, 1, -1],
    [-3, 0, -1.5],
    [4, 1, 4],
  ]);
  assert.throws(
    () => tryActivation(prelu, [1, 2, 3], { numParameters: 2, init: 0.5 }, "float64"),
    /multiple of 2/,
  );
});

Deno.test("tryActivation() shows 1e308 as the ∞ that float32 computes with", () => {
  const table = tryActivation(getActivation("relu"), [1e308], {}, "float32");
  assert.deepEqual(table.rows, [[Infinity, Infinity, 1]]);
  assert.match(table.notes[0], /1e\+308 → ∞/);
  assert.deepEqual(tryActivation(getActivation("relu"), [1e308], {}, "float64").notes, []);
});
